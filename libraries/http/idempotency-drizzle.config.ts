import { defineConfig } from 'drizzle-kit';

// Migrations of the Idempotency-Key table that every service write database holds.
// Regenerate after changing idempotency-schema.ts: npx drizzle-kit generate --config libraries/http/idempotency-drizzle.config.ts
export default defineConfig({
  dialect: 'postgresql',
  schema: './libraries/http/idempotency-schema.ts',
  out: './libraries/http/migrations',
});
