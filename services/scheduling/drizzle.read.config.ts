import { defineConfig } from 'drizzle-kit';

// npx drizzle-kit generate --config services/scheduling/drizzle.read.config.ts
export default defineConfig({
  dialect: 'postgresql',
  schema: './services/scheduling/read-schema.ts',
  out: './services/scheduling/migrations/read',
});
