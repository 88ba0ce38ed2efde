-- `pg_dump --clean --if-exists` of a view grouped by a primary key: the
-- prologue replaces the view with a placeholder before dropping what it
-- depends on, which fails on a database without the schema.
SELECT pg_catalog.set_config('search_path', '', false);
DROP TRIGGER IF EXISTS order_touch ON shop."order";
CREATE OR REPLACE VIEW shop.order_totals AS
SELECT
    NULL::bigint AS id,
    NULL::numeric AS total;
DROP VIEW IF EXISTS shop.order_totals;
DROP TABLE IF EXISTS shop."order";
DROP SCHEMA IF EXISTS shop;
CREATE SCHEMA shop;
CREATE TABLE shop."order" (id bigint NOT NULL, total numeric NOT NULL);
ALTER TABLE ONLY shop."order" ADD CONSTRAINT order_pkey PRIMARY KEY (id);
CREATE VIEW shop.order_totals AS
 SELECT "order".id,
    sum("order".total) AS total
   FROM shop."order"
  GROUP BY "order".id;
