CREATE SCHEMA seller;
CREATE DOMAIN seller.sku AS varchar(40) NOT NULL CHECK (VALUE <> '');
CREATE TYPE seller.condition AS ENUM ('new', 'used');
CREATE TABLE seller.item (
    id serial PRIMARY KEY,
    sku seller.sku UNIQUE,
    condition seller.condition NOT NULL DEFAULT 'new'
);
