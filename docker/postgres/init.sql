-- Runs once, when the postgres-data volume is empty (docker-entrypoint-initdb.d),
-- as the superuser `hap` (POSTGRES_USER), which the HAP processes also use: they
-- create and migrate their own databases (hap_patients, hap_patients_read_instance_1, …)
-- at start, and need CREATE DATABASE and the btree_gist extension for that.

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
