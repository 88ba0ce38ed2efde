CREATE SCHEMA catalog_v2;
CREATE DOMAIN catalog_v2.rating AS smallint CHECK (VALUE BETWEEN 0 AND 5);
CREATE TYPE catalog_v2.state AS ENUM ('draft', 'live', 'gone away');
CREATE TABLE catalog_v2.item (
    id serial PRIMARY KEY,
    "displayName" text NOT NULL,
    price numeric(10, 2) NOT NULL,
    weight integer,
    tags text[] NOT NULL DEFAULT '{}',
    rating catalog_v2.rating,
    state catalog_v2.state NOT NULL DEFAULT 'draft'
);
