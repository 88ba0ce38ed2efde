CREATE SCHEMA app;
-- Data only: skipped knowingly.
DO $$ BEGIN RAISE NOTICE 'seeding'; END $$;
-- The idempotent enum idiom: the DDL source cannot run PL/pgSQL.
DO $$
BEGIN
    CREATE TYPE app.mood AS ENUM ('ok', 'not_ok');
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
DO LANGUAGE plpgsql $body$ BEGIN EXECUTE format('CREATE TABLE app.%I (id int)', 'dyn'); END $body$;
-- Where the statements after it create and look names up.
DO $$ BEGIN PERFORM set_config('search_path', 'app, public', false); END $$;
DO $$ BEGIN SET LOCAL search_path TO app; END $$;
-- Reading the setting changes nothing.
DO $$ BEGIN RAISE NOTICE '%', current_setting('search_path'); END $$;
-- What a refused block would have made is missing from what follows:
-- no error more for the table that uses it.
CREATE TABLE app.person (id integer PRIMARY KEY, mood app.mood);
ALTER TABLE app.person ADD COLUMN nickname text;
