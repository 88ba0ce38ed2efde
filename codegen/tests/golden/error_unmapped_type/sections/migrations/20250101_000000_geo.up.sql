-- Types of extensions have no Rust mapping of ours: each column of one is
-- an error, all in one run, with what to add to sections.toml.
CREATE EXTENSION IF NOT EXISTS hstore WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS cube;
CREATE SCHEMA geo;
CREATE TABLE geo.place (
    id serial PRIMARY KEY,
    tags public.hstore,
    corner public.cube NOT NULL,
    -- A built-in type is never one of them.
    search tsvector
);
CREATE VIEW geo.tagged AS SELECT id, tags FROM geo.place;
