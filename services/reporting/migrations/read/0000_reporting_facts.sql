CREATE TABLE "consultation_facts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"physician_id" uuid NOT NULL,
	"status" text NOT NULL,
	"status_reason" text,
	"version" integer NOT NULL,
	"booked_at" timestamp with time zone NOT NULL,
	"scheduled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "physician_specialties" (
	"physician_id" uuid PRIMARY KEY NOT NULL,
	"specialty" text NOT NULL,
	"version" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "record_changes" (
	"event_id" uuid NOT NULL,
	"record_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	CONSTRAINT "record_changes_event_id_record_id_pk" PRIMARY KEY("event_id","record_id")
);
--> statement-breakpoint
CREATE INDEX "consultation_facts_booked_at_idx" ON "consultation_facts" USING btree ("booked_at");--> statement-breakpoint
CREATE INDEX "record_changes_occurred_at_idx" ON "record_changes" USING btree ("occurred_at");