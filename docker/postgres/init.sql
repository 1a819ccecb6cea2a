-- Written by `npm run compose` (tools/launcher/compose.ts); test/docker/compose.test.ts keeps it current.
-- Runs once, when the postgres-data volume is empty (docker-entrypoint-initdb.d), as the superuser
-- `hap` (POSTGRES_USER), which no HAP process uses.

-- One role per service, owner of its write database and its instances' read databases, which no one
-- else may connect to; the saga worker's role may connect to scheduling's write database only, where
-- scheduling grants it the consultation table once migrated. Development passwords: change them for a deployment.
CREATE ROLE "hap_patients" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'dev-patients';
CREATE ROLE "hap_physicians" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'dev-physicians';
CREATE ROLE "hap_scheduling" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'dev-scheduling';
CREATE ROLE "hap_records" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'dev-records';
CREATE ROLE "hap_reporting" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'dev-reporting';
CREATE ROLE "hap_worker" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD 'dev-worker';
CREATE DATABASE "hap_patients" OWNER "hap_patients";
REVOKE CONNECT, TEMPORARY ON DATABASE "hap_patients" FROM PUBLIC;
CREATE DATABASE "hap_patients_read_instance_1" OWNER "hap_patients";
REVOKE CONNECT, TEMPORARY ON DATABASE "hap_patients_read_instance_1" FROM PUBLIC;
CREATE DATABASE "hap_patients_read_instance_2" OWNER "hap_patients";
REVOKE CONNECT, TEMPORARY ON DATABASE "hap_patients_read_instance_2" FROM PUBLIC;
CREATE DATABASE "hap_physicians" OWNER "hap_physicians";
REVOKE CONNECT, TEMPORARY ON DATABASE "hap_physicians" FROM PUBLIC;
CREATE DATABASE "hap_physicians_read_instance_1" OWNER "hap_physicians";
REVOKE CONNECT, TEMPORARY ON DATABASE "hap_physicians_read_instance_1" FROM PUBLIC;
CREATE DATABASE "hap_physicians_read_instance_2" OWNER "hap_physicians";
REVOKE CONNECT, TEMPORARY ON DATABASE "hap_physicians_read_instance_2" FROM PUBLIC;
CREATE DATABASE "hap_scheduling" OWNER "hap_scheduling";
REVOKE CONNECT, TEMPORARY ON DATABASE "hap_scheduling" FROM PUBLIC;
CREATE DATABASE "hap_scheduling_read_instance_1" OWNER "hap_scheduling";
REVOKE CONNECT, TEMPORARY ON DATABASE "hap_scheduling_read_instance_1" FROM PUBLIC;
CREATE DATABASE "hap_scheduling_read_instance_2" OWNER "hap_scheduling";
REVOKE CONNECT, TEMPORARY ON DATABASE "hap_scheduling_read_instance_2" FROM PUBLIC;
CREATE DATABASE "hap_records" OWNER "hap_records";
REVOKE CONNECT, TEMPORARY ON DATABASE "hap_records" FROM PUBLIC;
CREATE DATABASE "hap_records_read_instance_1" OWNER "hap_records";
REVOKE CONNECT, TEMPORARY ON DATABASE "hap_records_read_instance_1" FROM PUBLIC;
CREATE DATABASE "hap_records_read_instance_2" OWNER "hap_records";
REVOKE CONNECT, TEMPORARY ON DATABASE "hap_records_read_instance_2" FROM PUBLIC;
CREATE DATABASE "hap_reporting" OWNER "hap_reporting";
REVOKE CONNECT, TEMPORARY ON DATABASE "hap_reporting" FROM PUBLIC;
CREATE DATABASE "hap_reporting_read_instance_1" OWNER "hap_reporting";
REVOKE CONNECT, TEMPORARY ON DATABASE "hap_reporting_read_instance_1" FROM PUBLIC;
CREATE DATABASE "hap_reporting_read_instance_2" OWNER "hap_reporting";
REVOKE CONNECT, TEMPORARY ON DATABASE "hap_reporting_read_instance_2" FROM PUBLIC;
GRANT CONNECT ON DATABASE "hap_scheduling" TO "hap_worker";

-- Temporal's persistence and visibility stores, owned by a role of their own.
-- Their schemas are applied (and upgraded) by the temporal-schema job with
-- temporal-sql-tool; the databases exist beforehand so that job is idempotent.
CREATE ROLE temporal WITH LOGIN PASSWORD 'temporal';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;

-- The visibility schema uses GIN indexes; creating the extension here, as the
-- superuser, spares the temporal role the privilege.
\connect temporal_visibility
CREATE EXTENSION IF NOT EXISTS btree_gin;
