CREATE SCHEMA shop;
CREATE DOMAIN shop.price AS numeric(10, 2);
CREATE TABLE shop.item (
    id serial PRIMARY KEY,
    cash money NOT NULL,
    price shop.price,
    tags text[],
    weight real
);
