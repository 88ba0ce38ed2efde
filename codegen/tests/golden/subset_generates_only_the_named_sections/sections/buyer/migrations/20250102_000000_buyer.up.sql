CREATE SCHEMA buyer;
CREATE TYPE buyer.status AS ENUM ('open', 'paid');
CREATE TABLE buyer.cart (
    id serial PRIMARY KEY,
    status buyer.status NOT NULL DEFAULT 'open'
);
-- A foreign key into `seller` and a column of `seller`'s domain: the
-- buyer code names nothing of `seller`, which is not generated.
CREATE TABLE buyer.cart_line (
    id serial PRIMARY KEY,
    cart_id integer NOT NULL REFERENCES buyer.cart (id),
    item_id integer NOT NULL REFERENCES seller.item (id),
    sku seller.sku
);
