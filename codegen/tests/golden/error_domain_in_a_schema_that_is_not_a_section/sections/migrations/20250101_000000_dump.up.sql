-- pg_dump writes types of `public` beside the sections' tables: the model
-- folds them, but a section's generated code cannot map them yet.
CREATE SCHEMA shop;
CREATE DOMAIN public.positive_int AS integer
	CONSTRAINT positive_int_check CHECK ((VALUE > 0));
CREATE TABLE shop.line (
    id integer NOT NULL,
    quantity public.positive_int NOT NULL
);
