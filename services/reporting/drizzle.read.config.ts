import { defineConfig } from 'drizzle-kit';

// npx drizzle-kit generate --config services/reporting/drizzle.read.config.ts
export default defineConfig({
  dialect: 'postgresql',
  schema: './services/reporting/read-schema.ts',
  out: './services/reporting/migrations/read',
});
