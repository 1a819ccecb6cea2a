import { defineConfig } from 'drizzle-kit';

// npx drizzle-kit generate --config services/physicians/drizzle.read.config.ts
export default defineConfig({
  dialect: 'postgresql',
  schema: './services/physicians/read-schema.ts',
  out: './services/physicians/migrations/read',
});
