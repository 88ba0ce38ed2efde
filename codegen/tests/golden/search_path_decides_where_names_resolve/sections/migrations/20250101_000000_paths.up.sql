-- Unqualified names resolve as the server resolves them: on the whole
-- `search_path` a `SET` gives, in order, with `pg_catalog` first unless the
-- path places it. Objects created without a schema land in the first schema
-- of the path that exists.
CREATE SCHEMA shop;
CREATE SCHEMA billing;
CREATE SCHEMA lib;
CREATE TYPE lib.mood AS ENUM ('calm', 'busy');
CREATE DOMAIN lib.positive AS integer CHECK (VALUE > 0);
CREATE SEQUENCE lib.ticket;
CREATE FUNCTION lib.next_ticket() RETURNS bigint LANGUAGE sql AS $$ SELECT 1::bigint $$;
-- The same name in two schemas: the first on the path wins.
CREATE TYPE billing.mood AS ENUM ('paid', 'due');

CREATE TABLE shop.customer (id integer PRIMARY KEY);

-- `$user` and a schema that does not exist are passed over; creation lands
-- in `billing`, the first that exists.
SET search_path TO "$user", nowhere, billing, shop, lib;
CREATE TABLE invoice (
    id bigint PRIMARY KEY DEFAULT next_ticket(),
    number bigint NOT NULL DEFAULT nextval('ticket'),
    customer integer REFERENCES customer (id),
    state mood,
    amount positive,
    -- A name of a built-in type finds `pg_catalog`'s first.
    note text
);
ALTER TABLE customer ADD COLUMN name text;
COMMENT ON COLUMN customer.name IS 'Found in shop, the second schema on the path.';
CREATE VIEW open_invoice AS
    SELECT i.id, c.name, i.state FROM invoice i JOIN customer c ON c.id = i.customer;

-- A section's type named like a built-in one does not hide it, unless the
-- path places `pg_catalog` after the section.
CREATE DOMAIN shop.json AS text;
SET search_path = shop, lib;
CREATE TABLE shop.document (
    id integer PRIMARY KEY,
    body json,
    mood mood
);
SET search_path = shop, pg_catalog, lib;
ALTER TABLE document ADD COLUMN raw json;

-- The elements of `CREATE SCHEMA` look in the new schema first.
RESET search_path;
CREATE SCHEMA audit
    CREATE TABLE entry (id integer PRIMARY KEY, invoice bigint)
    CREATE VIEW recent AS SELECT id FROM entry;
