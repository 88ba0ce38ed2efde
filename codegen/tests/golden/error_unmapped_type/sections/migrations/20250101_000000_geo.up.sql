-- Types of extensions have no Rust mapping of ours (but `hstore` and
-- `ltree`'s): each column of one is an error, all in one run, with what to
-- add to sections.toml.
CREATE EXTENSION IF NOT EXISTS seg WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS cube;
CREATE SCHEMA geo;
CREATE TABLE geo.place (
    id serial PRIMARY KEY,
    path public.seg,
    corner public.cube NOT NULL,
    -- A built-in type is never one of them.
    search tsvector
);
CREATE VIEW geo.by_path AS SELECT id, path FROM geo.place;
