import { defineConfig } from 'drizzle-kit';

// npx drizzle-kit generate --config services/physicians/drizzle.write.config.ts
export default defineConfig({
  dialect: 'postgresql',
  schema: './services/physicians/write-schema.ts',
  out: './services/physicians/migrations/write',
});
