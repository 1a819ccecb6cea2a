import { defineConfig } from 'drizzle-kit';

// Migrations of the messaging tables (inbox, outbox) that every service database holds.
// Regenerate after changing schema.ts: npx drizzle-kit generate --config libraries/messaging/drizzle.config.ts
export default defineConfig({
  dialect: 'postgresql',
  schema: './libraries/messaging/schema.ts',
  out: './libraries/messaging/migrations',
});
