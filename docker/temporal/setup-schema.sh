#!/bin/sh
# temporal-schema job (temporalio/admin-tools): applies Temporal's PostgreSQL
# schemas to the databases docker/postgres/init.sql created, and upgrades them
# when the image version moves on. Idempotent: run at every `up`, it changes
# nothing on a database already at the image's schema version.
set -eu

host="${POSTGRES_SEEDS:?}"
port="${DB_PORT:-5432}"
user="${POSTGRES_USER:?}"
export SQL_PASSWORD="${POSTGRES_PWD:?}"   # temporal-sql-tool reads the password from SQL_PASSWORD
schema_root=/etc/temporal/schema/postgresql/v12

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$host" -p "$port" -u "$user" "$@"
}

# PostgreSQL is healthy before this job starts (depends_on); retry a little anyway.
attempt=0
until sql_tool --db "${DBNAME:-temporal}" setup-schema -v 0.0; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 30 ]; then echo "temporal-schema: PostgreSQL at $host:$port did not accept the schema setup" >&2; exit 1; fi
  sleep 2
done
sql_tool --db "${DBNAME:-temporal}" update-schema -d "$schema_root/temporal/versioned"

sql_tool --db "${VISIBILITY_DBNAME:-temporal_visibility}" setup-schema -v 0.0
sql_tool --db "${VISIBILITY_DBNAME:-temporal_visibility}" update-schema -d "$schema_root/visibility/versioned"

echo "temporal-schema: persistence and visibility schemas are up to date"
