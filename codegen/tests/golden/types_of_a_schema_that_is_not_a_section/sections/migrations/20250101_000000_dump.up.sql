-- pg_dump writes the types of `public` beside the sections' tables: each
-- section that uses an enum of a schema that is no section generates its
-- own Rust enum of it, and a domain maps to its base type. `hstore`,
-- `ltree`, `lquery` and `ltxtquery` are the extension types with a mapping.
CREATE SCHEMA shop;
CREATE SCHEMA billing;
CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS hstore WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS ltree WITH SCHEMA public;
CREATE TYPE public.currency AS ENUM ('eur', 'usd', 'chf');
COMMENT ON TYPE public.currency IS 'ISO 4217 codes we bill in.';
CREATE DOMAIN public.positive_int AS integer
	CONSTRAINT positive_int_check CHECK ((VALUE > 0));
CREATE DOMAIN public.quantity AS public.positive_int NOT NULL;
CREATE DOMAIN public.email AS public.citext
	CONSTRAINT email_check CHECK ((VALUE OPERATOR(public.~) '@'::public.citext));
CREATE DOMAIN public.currencies AS public.currency[];
-- Unused: no section generates it.
CREATE TYPE public.unused AS ENUM ('x');

-- A section's own type of the same name keeps its name; the outside one
-- takes its schema's.
CREATE TYPE shop.currency AS ENUM ('points');

CREATE TABLE shop.line (
    id integer NOT NULL PRIMARY KEY,
    quantity public.quantity,
    weight public.positive_int,
    currency public.currency NOT NULL DEFAULT 'eur',
    accepted public.currency[] NOT NULL DEFAULT '{eur}',
    paid_in shop.currency,
    buyer public.email,
    -- Extensions' types with a mapping: a map, and text.
    tags public.hstore,
    category public.ltree,
    category_pattern public.lquery
);

CREATE TABLE billing.invoice (
    id integer NOT NULL PRIMARY KEY,
    currency public.currency NOT NULL,
    allowed public.currencies
);
