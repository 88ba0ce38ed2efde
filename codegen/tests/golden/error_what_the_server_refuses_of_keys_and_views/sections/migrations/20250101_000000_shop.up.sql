-- What the server refuses is refused here too, at the statement: a key
-- that foreign keys depend on, a view replaced with other columns, a name
-- a sequence or index has.
CREATE SCHEMA shop;
CREATE TABLE shop.product (id serial PRIMARY KEY, name text, price integer);
CREATE TABLE shop.line (product_id integer REFERENCES shop.product (id));
ALTER TABLE shop.product DROP CONSTRAINT product_pkey;
CREATE VIEW shop.priced AS SELECT id, price FROM shop.product;
CREATE OR REPLACE VIEW shop.priced AS SELECT id, price::bigint AS price FROM shop.product;
CREATE OR REPLACE VIEW shop.priced AS SELECT id, name FROM shop.product;
CREATE OR REPLACE VIEW shop.priced AS SELECT id FROM shop.product;
CREATE VIEW shop.product_id_seq AS SELECT 1 AS one;
CREATE INDEX product_name ON shop.product (name);
CREATE TABLE shop.product_name (id integer);
