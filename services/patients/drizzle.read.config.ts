import { defineConfig } from 'drizzle-kit';

// npx drizzle-kit generate --config services/patients/drizzle.read.config.ts
export default defineConfig({
  dialect: 'postgresql',
  schema: './services/patients/read-schema.ts',
  out: './services/patients/migrations/read',
});
