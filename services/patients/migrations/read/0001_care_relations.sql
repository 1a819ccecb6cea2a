CREATE TABLE "care_relations" (
	"patient_id" uuid NOT NULL,
	"physician_id" uuid NOT NULL,
	CONSTRAINT "care_relations_patient_id_physician_id_pk" PRIMARY KEY("patient_id","physician_id")
);
