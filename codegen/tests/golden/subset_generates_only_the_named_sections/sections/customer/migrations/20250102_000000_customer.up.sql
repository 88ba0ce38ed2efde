CREATE SCHEMA customer;
CREATE TYPE customer.status AS ENUM ('open', 'paid');
CREATE TABLE customer.cart (
    id serial PRIMARY KEY,
    status customer.status NOT NULL DEFAULT 'open'
);
-- A foreign key into `vendor` and a column of `vendor`'s domain: the
-- customer code names nothing of `vendor`, which is not generated.
CREATE TABLE customer.cart_line (
    id serial PRIMARY KEY,
    cart_id integer NOT NULL REFERENCES customer.cart (id),
    item_id integer NOT NULL REFERENCES vendor.item (id),
    sku vendor.sku
);
