-- The statement forms `pg_dump --schema-only` (PostgreSQL 15) writes, in its
-- spelling: owners on every kind of object, identities and serials added
-- after the table, partitions created as tables then attached, column
-- storage settings and clustering, materialized views `WITH NO DATA`,
-- views `WITH CASCADED CHECK OPTION` and their column defaults, joins in
-- parentheses, and (at the end) `--quote-all-identifiers`. Owners are
-- `CURRENT_USER`, so any server runs it; pg_dump names the role.
\restrict 0123456789abcdef
SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
SET default_table_access_method = heap;

CREATE SCHEMA shop;
ALTER SCHEMA shop OWNER TO CURRENT_USER;

CREATE TYPE shop.mood AS ENUM (
    'ok',
    'happy'
);
ALTER TYPE shop.mood OWNER TO CURRENT_USER;
CREATE DOMAIN shop.quantity AS integer
	CONSTRAINT quantity_check CHECK ((VALUE > 0));
ALTER DOMAIN shop.quantity OWNER TO CURRENT_USER;

CREATE TABLE shop.customer (
    id integer NOT NULL,
    email character varying(255) NOT NULL,
    mood shop.mood DEFAULT 'ok'::shop.mood NOT NULL
);
ALTER TABLE ONLY shop.customer ALTER COLUMN email SET STATISTICS 500;
ALTER TABLE ONLY shop.customer ALTER COLUMN email SET STORAGE EXTERNAL;
ALTER TABLE ONLY shop.customer ALTER COLUMN email SET (n_distinct=100);
ALTER TABLE shop.customer OWNER TO CURRENT_USER;
CREATE SEQUENCE shop.customer_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER TABLE shop.customer_id_seq OWNER TO CURRENT_USER;
ALTER SEQUENCE shop.customer_id_seq OWNED BY shop.customer.id;

CREATE TABLE shop."order" (
    id bigint NOT NULL,
    customer_id integer NOT NULL,
    amount shop.quantity NOT NULL,
    placed_at timestamp with time zone DEFAULT now() NOT NULL
);
ALTER TABLE shop."order" OWNER TO CURRENT_USER;
ALTER TABLE shop."order" ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME shop.order_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE UNLOGGED TABLE shop.search_cache (
    query text NOT NULL,
    hits integer DEFAULT 0 NOT NULL
);
ALTER TABLE shop.search_cache OWNER TO CURRENT_USER;

CREATE TABLE shop.event (
    id bigint NOT NULL,
    happened_at date NOT NULL
)
PARTITION BY RANGE (happened_at);
ALTER TABLE shop.event OWNER TO CURRENT_USER;
CREATE TABLE shop.event_2025 (
    id bigint NOT NULL,
    happened_at date NOT NULL
);
ALTER TABLE shop.event_2025 OWNER TO CURRENT_USER;
CREATE TABLE shop.event_other (
    id bigint NOT NULL,
    happened_at date NOT NULL
);
ALTER TABLE shop.event_other OWNER TO CURRENT_USER;
ALTER TABLE ONLY shop.event ATTACH PARTITION shop.event_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE ONLY shop.event ATTACH PARTITION shop.event_other DEFAULT;

CREATE VIEW shop.customer_order AS
 SELECT o.id AS order_id,
    c.email,
    o.placed_at
   FROM (shop."order" o
     JOIN shop.customer c ON ((c.id = o.customer_id)));
ALTER TABLE shop.customer_order OWNER TO CURRENT_USER;
ALTER TABLE ONLY shop.customer_order ALTER COLUMN placed_at SET DEFAULT now();

CREATE MATERIALIZED VIEW shop.customer_mood AS
 SELECT customer.id,
    customer.mood
   FROM shop.customer
  WITH NO DATA;
ALTER TABLE shop.customer_mood OWNER TO CURRENT_USER;
ALTER MATERIALIZED VIEW shop.customer_mood OWNER TO CURRENT_USER;

ALTER TABLE ONLY shop.customer ALTER COLUMN id SET DEFAULT nextval('shop.customer_id_seq'::regclass);
ALTER TABLE ONLY shop.customer
    ADD CONSTRAINT customer_pkey PRIMARY KEY (id);
ALTER TABLE ONLY shop.event
    ADD CONSTRAINT event_pkey PRIMARY KEY (id, happened_at);
ALTER TABLE ONLY shop.event_2025
    ADD CONSTRAINT event_2025_pkey PRIMARY KEY (id, happened_at);
ALTER TABLE ONLY shop.event_other
    ADD CONSTRAINT event_other_pkey PRIMARY KEY (id, happened_at);
ALTER TABLE ONLY shop."order"
    ADD CONSTRAINT order_pkey PRIMARY KEY (id);
ALTER INDEX shop.event_pkey ATTACH PARTITION shop.event_2025_pkey;
ALTER INDEX shop.event_pkey ATTACH PARTITION shop.event_other_pkey;
ALTER TABLE ONLY shop."order"
    ADD CONSTRAINT order_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES shop.customer(id) ON UPDATE CASCADE;

CREATE INDEX customer_email_idx ON shop.customer USING btree (email);
ALTER TABLE shop.customer CLUSTER ON customer_email_idx;
ALTER TABLE ONLY shop.customer SET WITHOUT CLUSTER;
CREATE VIEW shop.happy_customer WITH (security_barrier='true') AS
 SELECT customer.id,
    customer.email
   FROM shop.customer
  WHERE (customer.mood = 'happy'::shop.mood)
  WITH CASCADED CHECK OPTION;
ALTER TABLE shop.happy_customer OWNER TO CURRENT_USER;

-- `--quote-all-identifiers` quotes every name, in defaults too.
CREATE TABLE "shop"."tag" (
    "id" integer NOT NULL,
    "label" "text" DEFAULT 'new'::"text" NOT NULL,
    "labels" "text"[] DEFAULT '{}'::"text"[] NOT NULL,
    "added_at" timestamp with time zone DEFAULT "now"() NOT NULL
);
CREATE SEQUENCE "shop"."tag_id_seq" AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER TABLE ONLY "shop"."tag" ALTER COLUMN "id" SET DEFAULT "nextval"('"shop"."tag_id_seq"'::"regclass");

-- A partition dropped with its table, and a table created as a partition.
CREATE TABLE shop.event_2024 PARTITION OF shop.event FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
ALTER TABLE ONLY shop.event_2024 ALTER COLUMN happened_at SET STATISTICS 100;
DROP TABLE shop.event_2024;

-- A domain constraint added `NOT VALID` is written apart from the domain;
-- an exclusion constraint is no part of the model, but is named.
CREATE DOMAIN shop.weight AS integer DEFAULT 0 NOT NULL;
ALTER DOMAIN shop.weight ADD CONSTRAINT weight_check CHECK ((VALUE >= 0)) NOT VALID;
CREATE TABLE shop.slot (id integer NOT NULL, during tsrange, weight shop.weight);
ALTER TABLE ONLY shop.slot
    ADD CONSTRAINT slot_during_excl EXCLUDE USING gist (during WITH &&);

-- Foreign tables, servers and wrappers are skipped, as the live source
-- reads no foreign table.
CREATE EXTENSION IF NOT EXISTS postgres_fdw WITH SCHEMA public;
CREATE SERVER other FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'localhost', dbname 'x');
CREATE USER MAPPING FOR CURRENT_USER SERVER other OPTIONS ("user" 'postgres');
CREATE FOREIGN TABLE shop.remote (id integer, name text) SERVER other OPTIONS (table_name 'remote');
ALTER FOREIGN TABLE shop.remote ADD COLUMN extra integer;
-- A view may read a foreign table.
CREATE VIEW shop.remote_names AS SELECT id, upper(name) AS name FROM shop.remote;
\unrestrict 0123456789abcdef
