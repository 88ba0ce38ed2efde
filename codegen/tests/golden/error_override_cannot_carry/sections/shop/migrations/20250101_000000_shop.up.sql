CREATE SCHEMA shop;
CREATE EXTENSION IF NOT EXISTS ltree WITH SCHEMA public;
CREATE DOMAIN shop.price AS numeric(10, 2);
CREATE TYPE shop.size AS ENUM ('s', 'm', 'l');
CREATE TYPE shop.dimensions AS (width integer, height integer);
CREATE TABLE shop.item (
    id serial PRIMARY KEY,
    cash money NOT NULL,
    price shop.price,
    tags text[],
    weight real,
    size shop.size,
    sizes shop.size[],
    dimensions shop.dimensions,
    path public.ltree
);
