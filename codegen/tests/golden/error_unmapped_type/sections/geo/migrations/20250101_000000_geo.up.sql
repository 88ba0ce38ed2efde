-- Every column without a Rust type is reported, all in one run.
CREATE SCHEMA geo;
CREATE TABLE geo.place (id serial PRIMARY KEY, outline polygon NOT NULL, search tsvector);
CREATE VIEW geo.named_place AS SELECT id, outline, to_tsquery('x') AS query FROM geo.place;
