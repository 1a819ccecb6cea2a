CREATE TABLE "consultation_status_view" (
	"consultation_id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"version" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "record_view" (
	"id" uuid PRIMARY KEY NOT NULL,
	"consultation_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"physician_id" uuid NOT NULL,
	"diagnosis" text NOT NULL,
	"notes" text,
	"prescriptions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text NOT NULL,
	"consultation_status" text,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voided_records" (
	"record_id" uuid PRIMARY KEY NOT NULL,
	"consultation_id" uuid NOT NULL,
	"voided_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "record_view_consultation_id_idx" ON "record_view" USING btree ("consultation_id");