import { defineConfig } from 'drizzle-kit';

// npx drizzle-kit generate --config services/records/drizzle.write.config.ts
export default defineConfig({
  dialect: 'postgresql',
  schema: './services/records/write-schema.ts',
  out: './services/records/migrations/write',
});
