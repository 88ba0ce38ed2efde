-- `SET STATISTICS` changes nothing in the model, but its column must exist.
CREATE SCHEMA shop;
CREATE TABLE shop.customer (id integer NOT NULL, email text NOT NULL);
ALTER TABLE ONLY shop.customer ALTER COLUMN emial SET STATISTICS 500;
