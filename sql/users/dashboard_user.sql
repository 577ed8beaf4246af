-- The read-only ClickHouse user of the big-screen dashboard (dashboard/, issue 9).
--
-- Not a schema migration (scripts/stack and the tests apply only sql/*.sql): apply it with the
-- administrator's credentials, against the database the jobs write to, whenever the password
-- changes:
--
--   CITYPULSE_DASHBOARD_PASSWORD_FILE=/run/secrets/dashboard-password \
--   CLICKHOUSE_URL=https://clickhouse.example:8443 CLICKHOUSE_USER=admin CLICKHOUSE_PASSWORD=... \
--   CLICKHOUSE_DATABASE=citypulse node scripts/lib/clickhouse.mjs migrate --dir sql/users
--
-- The password is never in the repository: the migration tool replaces the sha256 placeholder with the
-- SHA-256 of the environment variable NAME (or of the file that NAME_FILE names), so only the
-- digest travels to the server, and the database placeholder with the target database. scripts/dashboard
-- does this for the local stack with a generated password in .local/dashboard/password.
--
-- readonly = 1 (constant for the user): SELECT only; no writes, no DDL, no setting changes.
-- OR REPLACE makes the file re-runnable and rotates the password; the grant follows.
CREATE USER OR REPLACE dashboard
    IDENTIFIED WITH sha256_hash BY '{{sha256:CITYPULSE_DASHBOARD_PASSWORD}}'
    SETTINGS readonly = 1 CONST;

GRANT SELECT ON {{database}}.* TO dashboard;
