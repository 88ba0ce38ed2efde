-- What PostgreSQL 16 to 18 and their pg_dump write that 15 does not:
-- virtual generated columns (18; the default without STORED), named NOT NULL
-- constraints (18), NOT ENFORCED constraints (18), SET EXPRESSION (17),
-- uuidv7() (18), the table access method setting (17) and \restrict (a
-- psql meta-command of recent minor releases).
\restrict AbCdEf123
SET default_table_access_method = heap;
CREATE SCHEMA shop;
CREATE TABLE shop.line (
    id integer NOT NULL,
    qty integer NOT NULL,
    price numeric NOT NULL,
    total numeric GENERATED ALWAYS AS (qty * price) VIRTUAL,
    doubled numeric GENERATED ALWAYS AS (qty * 2),
    token uuid DEFAULT uuidv7(),
    note text,
    CONSTRAINT line_note_not_null NOT NULL note NO INHERIT,
    CONSTRAINT line_price_check CHECK (price > 0) NOT ENFORCED
);
ALTER TABLE shop.line ADD CONSTRAINT line_id_not_null NOT NULL id;
ALTER TABLE ONLY shop.line ADD CONSTRAINT line_pkey PRIMARY KEY (id);
ALTER TABLE shop.line ALTER COLUMN total SET EXPRESSION AS (qty * price * 2);
ALTER TABLE shop.line ADD CONSTRAINT line_qty_check CHECK (qty > 0) ENFORCED;
-- Integer literals of PostgreSQL 16, in hand-written defaults.
CREATE TABLE shop.literal (
    id integer PRIMARY KEY, a integer DEFAULT 0b101, b integer DEFAULT 0o17, c integer DEFAULT 0x1F,
    d integer DEFAULT 1_000_000, e bigint DEFAULT 0X_FF, f bytea DEFAULT '\x00', g bit(8) DEFAULT X'1F'
);
-- Dropping a NOT NULL constraint, by the name given or by the one the
-- server gives, makes its column nullable again.
CREATE TABLE shop.tag (id integer PRIMARY KEY, label text NOT NULL, slug text, CONSTRAINT tag_slug_required NOT NULL slug);
ALTER TABLE shop.tag DROP CONSTRAINT tag_label_not_null;
ALTER TABLE shop.tag DROP CONSTRAINT tag_slug_required;
\unrestrict AbCdEf123
