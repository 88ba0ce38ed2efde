CREATE SCHEMA shop;
CREATE TABLE shop.product (
    id serial PRIMARY KEY,
    name text NOT NULL,
    price numeric(10, 2) NOT NULL DEFAULT
);
