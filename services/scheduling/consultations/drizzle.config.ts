import { defineConfig } from 'drizzle-kit';

// npx drizzle-kit generate --config services/scheduling/consultations/drizzle.config.ts
export default defineConfig({
  dialect: 'postgresql',
  schema: './services/scheduling/consultations/schema.ts',
  out: './services/scheduling/consultations/migrations',
});
