import { defineConfig } from 'drizzle-kit';

// npx drizzle-kit generate --config services/patients/drizzle.write.config.ts
export default defineConfig({
  dialect: 'postgresql',
  schema: './services/patients/write-schema.ts',
  out: './services/patients/migrations/write',
});
