-- Two consultations overlapping in time for one physician can never both hold a slot:
-- the database refuses the second (SQLSTATE 23P01), however many instances race.
-- btree_gist lets the GiST index compare physician_id with = next to the range's &&.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE "physician_slots" ADD CONSTRAINT "physician_slots_no_overlap"
  EXCLUDE USING gist ("physician_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&)
  WHERE ("status" IN ('HELD', 'CONFIRMED'));
