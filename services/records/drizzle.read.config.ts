import { defineConfig } from 'drizzle-kit';

// npx drizzle-kit generate --config services/records/drizzle.read.config.ts
export default defineConfig({
  dialect: 'postgresql',
  schema: './services/records/read-schema.ts',
  out: './services/records/migrations/read',
});
