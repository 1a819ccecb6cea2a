CREATE TABLE "consultation_view" (
	"id" uuid PRIMARY KEY NOT NULL,
	"patient_id" uuid NOT NULL,
	"physician_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"duration_minutes" integer NOT NULL,
	"reason" text,
	"status" text NOT NULL,
	"status_reason" text,
	"version" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patient_names" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"version" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "physician_names" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"specialty" text NOT NULL,
	"version" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "consultation_view_patient_idx" ON "consultation_view" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "consultation_view_physician_idx" ON "consultation_view" USING btree ("physician_id");--> statement-breakpoint
CREATE INDEX "consultation_view_status_idx" ON "consultation_view" USING btree ("status");