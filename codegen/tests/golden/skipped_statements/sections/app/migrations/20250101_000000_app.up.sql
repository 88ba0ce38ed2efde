\set ON_ERROR_STOP on
\echo creating app
BEGIN;
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE SCHEMA app;
CREATE SEQUENCE app.ticket_seq START 1000;
CREATE TABLE app.ticket (
    id bigint PRIMARY KEY DEFAULT nextval('app.ticket_seq'),
    title text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER SEQUENCE app.ticket_seq OWNED BY app.ticket.id;
CREATE INDEX ticket_title_idx ON app.ticket USING btree (title);
CREATE OR REPLACE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now(); -- a semicolon inside the body
    RETURN NEW;
END;
$$;
CREATE TRIGGER ticket_touch BEFORE UPDATE ON app.ticket
    FOR EACH ROW EXECUTE FUNCTION app.touch();
CREATE FUNCTION app.answer() RETURNS integer LANGUAGE sql
BEGIN ATOMIC
    SELECT 42;
END;
ALTER TABLE app.ticket ENABLE ROW LEVEL SECURITY;
CREATE POLICY ticket_all ON app.ticket USING (true);
GRANT USAGE ON SCHEMA app TO PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA app TO PUBLIC;
REVOKE ALL ON app.ticket FROM PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO PUBLIC;
COMMENT ON FUNCTION app.touch() IS 'Keeps updated_at fresh.';
COMMENT ON INDEX app.ticket_title_idx IS 'For search.';
INSERT INTO app.ticket (title) VALUES ('first; with a semicolon'), ($q$second$q$);
UPDATE app.ticket SET title = upper(title);
DELETE FROM app.ticket WHERE false;
DO $$ BEGIN RAISE NOTICE 'done'; END $$;
ANALYZE app.ticket;
-- Objects of other kinds, as `pg_dump --clean --if-exists` drops them.
CREATE TEXT SEARCH CONFIGURATION app.search (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION app.search OWNER TO CURRENT_USER;
DROP TEXT SEARCH CONFIGURATION IF EXISTS app.search;
DROP TEXT SEARCH DICTIONARY IF EXISTS app.no_dictionary;
CREATE CONVERSION app.latin FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
ALTER CONVERSION app.latin OWNER TO CURRENT_USER;
DROP CONVERSION IF EXISTS app.latin;
DROP ACCESS METHOD IF EXISTS no_access_method;
DROP ROUTINE IF EXISTS app.no_routine();
COMMIT;
