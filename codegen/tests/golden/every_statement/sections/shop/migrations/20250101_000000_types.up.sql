-- Every statement and type the DDL source folds, on a real server's terms.
\set ON_ERROR_STOP on
BEGIN;
SET search_path TO shop, public;
CREATE SCHEMA IF NOT EXISTS shop;
CREATE SCHEMA IF NOT EXISTS shop;  -- IF NOT EXISTS: a no-op the second time

CREATE TYPE shop.mood AS ENUM ('sad', 'ok');
ALTER TYPE shop.mood ADD VALUE 'happy';
ALTER TYPE shop.mood ADD VALUE IF NOT EXISTS 'happy';
ALTER TYPE shop.mood ADD VALUE 'meh' BEFORE 'ok';
ALTER TYPE shop.mood ADD VALUE 'great' AFTER 'happy';
ALTER TYPE shop.mood RENAME VALUE 'sad' TO 'unhappy';
COMMENT ON TYPE shop.mood IS 'How a customer feels.';

CREATE DOMAIN shop.positive_int AS integer NOT NULL CHECK (VALUE > 0);
CREATE DOMAIN shop.email AS varchar(320) CHECK (VALUE LIKE '%@%');
CREATE DOMAIN shop.tags AS text[];
CREATE DOMAIN shop.scratch AS int;
DROP DOMAIN shop.scratch;

CREATE TYPE shop.to_drop AS ENUM ('x');
DROP TYPE shop.to_drop;
DROP TYPE IF EXISTS shop.never_existed;

CREATE TABLE shop.every_type (
    id bigserial PRIMARY KEY,
    small smallint NOT NULL,
    small2 int2,
    regular integer NOT NULL DEFAULT 0,
    regular2 int4,
    regular3 int,
    big bigint,
    big2 int8,
    real_number real,
    float4_number float4,
    double_number double precision,
    float8_number float8,
    float_p float(53),
    exact numeric,
    money_like numeric(12, 2) NOT NULL DEFAULT 0,
    decimal_number decimal(5),
    flag boolean NOT NULL DEFAULT false,
    flag2 bool,
    body text,
    short varchar(20),
    any_length character varying,
    fixed char(3),
    one_char character,
    uid uuid NOT NULL DEFAULT gen_random_uuid(),
    day date,
    at_time time,
    at_timestamp timestamp,
    at_timestamp3 timestamp(3) without time zone,
    at_timestamptz timestamptz NOT NULL DEFAULT now(),
    at_timestamptz2 timestamp with time zone,
    span interval,
    doc json,
    docb jsonb DEFAULT '{}'::jsonb,
    raw bytea,
    address inet,
    int_list integer[],
    moods shop.mood[],
    mood shop.mood NOT NULL DEFAULT 'ok',
    quantity shop.positive_int,
    contact shop.email,
    labels shop.tags,
    internal_name name,
    cash money,
    mac macaddr,
    mac8 macaddr8,
    spot point,
    flags bit(4),
    more_flags bit varying(16),
    page xml,
    lsn pg_lsn,
    cash_list money[],
    doubled bigint GENERATED ALWAYS AS (regular * 2) STORED
);
COMMENT ON TABLE shop.every_type IS 'One column per supported type.';
COMMENT ON COLUMN shop.every_type.money_like IS 'Two decimals.
Second line of the comment.';
COMMIT;
