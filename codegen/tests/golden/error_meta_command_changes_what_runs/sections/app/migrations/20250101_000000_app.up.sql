\set ON_ERROR_STOP on
\echo creating app
CREATE SCHEMA app;
CREATE FUNCTION app.f() RETURNS text LANGUAGE sql AS $$
\not a meta-command inside a body
SELECT 1::text $$;
\i tables.sql
\if :with_seed
INSERT INTO app.t VALUES (1);
\endif
