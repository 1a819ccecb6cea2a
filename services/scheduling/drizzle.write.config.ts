import { defineConfig } from 'drizzle-kit';

// npx drizzle-kit generate --config services/scheduling/drizzle.write.config.ts
export default defineConfig({
  dialect: 'postgresql',
  schema: './services/scheduling/write-schema.ts',
  out: './services/scheduling/migrations/write',
});
