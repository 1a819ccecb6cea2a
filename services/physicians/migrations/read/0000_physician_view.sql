CREATE TABLE "physician_view" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"specialty" text NOT NULL,
	"license_number" text,
	"status" text NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "physician_view_status_idx" ON "physician_view" USING btree ("status");--> statement-breakpoint
CREATE INDEX "physician_view_specialty_idx" ON "physician_view" USING btree ("specialty");