-- Built-in types with no Rust mapping of ours are `String`s: read as
-- `column::text`, written as `$n::text::type`, so the server parses them.
CREATE SCHEMA geo;
CREATE DOMAIN geo.slot AS tstzrange CHECK (NOT isempty(VALUE));
CREATE TABLE geo.place (
    id serial PRIMARY KEY,
    outline polygon NOT NULL,
    search tsvector,
    query tsquery,
    seats int4range,
    stay daterange,
    booked geo.slot,
    prices numrange[],
    free int4multirange,
    network cidr,
    opens timetz,
    path path,
    area box,
    center circle,
    edge lseg,
    axis line,
    filter jsonpath,
    kind regtype,
    snapshot pg_snapshot,
    row_id tid,
    tx xid8
);
CREATE VIEW geo.named_place AS SELECT id, outline, to_tsquery('x') AS query FROM geo.place;
