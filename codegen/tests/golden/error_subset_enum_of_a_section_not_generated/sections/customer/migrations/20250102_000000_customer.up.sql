CREATE SCHEMA customer;
CREATE TYPE customer.status AS ENUM ('open', 'paid');
CREATE TABLE customer.cart (
    id serial PRIMARY KEY,
    status customer.status NOT NULL DEFAULT 'open'
);
-- A foreign key into `vendor`, a column of its domain and one of its enum.
CREATE TABLE customer.cart_line (
    id serial PRIMARY KEY,
    cart_id integer NOT NULL REFERENCES customer.cart (id),
    item_id integer NOT NULL REFERENCES vendor.item (id),
    sku vendor.sku
);
ALTER TABLE customer.cart_line ADD COLUMN condition vendor.condition;
