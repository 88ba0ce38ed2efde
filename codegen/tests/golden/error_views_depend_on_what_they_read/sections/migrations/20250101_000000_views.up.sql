-- A table, view or column a view reads is dropped only with CASCADE, and
-- a column a view reads keeps its type.
CREATE SCHEMA shop;
CREATE TABLE shop.product (id integer PRIMARY KEY, name text, price numeric, notes text);
CREATE VIEW shop.priced AS SELECT id, price FROM shop.product;
CREATE VIEW shop.cheap AS SELECT id FROM shop.priced WHERE price < 10;
CREATE VIEW shop.everything AS SELECT * FROM shop.product;
ALTER TABLE shop.product DROP COLUMN price;
ALTER TABLE shop.product DROP COLUMN notes;
ALTER TABLE shop.product ALTER COLUMN price TYPE integer;
DROP VIEW shop.priced;
DROP TABLE shop.product;
