CREATE TABLE "physician_slots" (
	"consultation_id" uuid PRIMARY KEY NOT NULL,
	"physician_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "physician_slots_time_order" CHECK ("physician_slots"."ends_at" > "physician_slots"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "physicians" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"specialty" text NOT NULL,
	"license_number" text,
	"status" text NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
