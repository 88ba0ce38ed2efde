-- Statements about storage and constraints change nothing in the model,
-- but what they name must exist and be of the right kind.
CREATE SCHEMA shop;
CREATE TABLE shop.customer (id integer NOT NULL, email text NOT NULL, total integer);
ALTER TABLE shop.customer VALIDATE CONSTRAINT customer_total_check;
ALTER TABLE shop.customer ALTER CONSTRAINT customer_email_fkey DEFERRABLE;
CREATE INDEX customer_email ON shop.customer (email);
ALTER TABLE shop.customer ADD CONSTRAINT customer_email_key UNIQUE USING INDEX customer_email;
CREATE UNIQUE INDEX customer_lower_email ON shop.customer (lower(email));
ALTER TABLE shop.customer ADD UNIQUE USING INDEX customer_lower_email;
ALTER TABLE shop.customer ADD PRIMARY KEY USING INDEX customer_id;
ALTER TABLE shop.customer ALTER COLUMN total DROP EXPRESSION;
ALTER TABLE shop.customer ALTER COLUMN total DROP EXPRESSION IF EXISTS;
CREATE SCHEMA AUTHORIZATION CURRENT_USER;
ALTER SCHEMA shop RENAME TO store;
ALTER SCHEMA shop OWNER TO postgres;
SET standard_conforming_strings = off;
