import { defineConfig } from 'drizzle-kit';

// Migrations of the Idempotency-Key table that every service write database holds.
// Regenerate after changing idempotency-schema.ts: npx drizzle-kit generate --config http/idempotency-drizzle.config.ts
export default defineConfig({
  dialect: 'postgresql',
  schema: './http/idempotency-schema.ts',
  out: './http/migrations',
});
