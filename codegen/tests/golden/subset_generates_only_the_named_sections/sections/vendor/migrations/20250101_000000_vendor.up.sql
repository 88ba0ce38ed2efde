CREATE SCHEMA vendor;
CREATE DOMAIN vendor.sku AS varchar(40) NOT NULL CHECK (VALUE <> '');
CREATE TYPE vendor.condition AS ENUM ('new', 'used');
CREATE TABLE vendor.item (
    id serial PRIMARY KEY,
    sku vendor.sku UNIQUE,
    condition vendor.condition NOT NULL DEFAULT 'new'
);
