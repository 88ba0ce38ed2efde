CREATE SCHEMA shop;
CREATE TABLE shop.product (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE shop.category (id serial PRIMARY KEY);

ALTER TABLE shop.produt ADD COLUMN price numeric(10, 2);
