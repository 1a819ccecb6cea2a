CREATE TABLE "access_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"subject" text NOT NULL,
	"role" text,
	"operation" text NOT NULL,
	"resource_id" text,
	"correlation_id" text NOT NULL,
	"outcome" text NOT NULL,
	"status" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "access_audit_at_idx" ON "access_audit" USING btree ("at");--> statement-breakpoint
CREATE INDEX "access_audit_resource_idx" ON "access_audit" USING btree ("resource_id","at");--> statement-breakpoint
CREATE INDEX "access_audit_subject_idx" ON "access_audit" USING btree ("subject","at");