CREATE SCHEMA billing;
CREATE TABLE billing.invoice (
    id serial PRIMARY KEY,
    item_id integer REFERENCES catalog_v2.item (id),
    total numeric(12, 2),
    location point,
    state catalog_v2.state
);
