import { defineConfig } from 'drizzle-kit';

// The access audit table of the write database of every service that keeps one (config/services.ts `audited`).
// Regenerate after changing schema.ts: npx drizzle-kit generate --config audit/drizzle.config.ts
export default defineConfig({
  dialect: 'postgresql',
  schema: './audit/schema.ts',
  out: './audit/migrations',
});
