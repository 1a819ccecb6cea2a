import { defineConfig } from 'drizzle-kit';

// The access audit table of the write database of every service that keeps one (libraries/config/services.ts `audited`).
// Regenerate after changing schema.ts: npx drizzle-kit generate --config libraries/audit/drizzle.config.ts
export default defineConfig({
  dialect: 'postgresql',
  schema: './libraries/audit/schema.ts',
  out: './libraries/audit/migrations',
});
