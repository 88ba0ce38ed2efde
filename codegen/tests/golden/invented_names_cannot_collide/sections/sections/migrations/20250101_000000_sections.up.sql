CREATE SCHEMA sections;
-- Columns named like the parameters and locals the generated code uses.
CREATE TABLE sections.key (
    key int PRIMARY KEY,
    row int NOT NULL,
    start int NOT NULL,
    "out" int,
    "values" int,
    "self" int,
    "super" int,
    "table" int,
    std int,
    core int
);
CREATE TABLE sections.pair (key text, row int, PRIMARY KEY (key, row));
-- Tables named like the prelude's types and the paths generated code uses.
CREATE TABLE sections.option (id int PRIMARY KEY, value text);
CREATE TABLE sections.result (id int PRIMARY KEY, ok bool NOT NULL);
CREATE TABLE sections.string (id int PRIMARY KEY, s text NOT NULL);
CREATE TABLE sections.vec (id int PRIMARY KEY, items int[] NOT NULL);
CREATE TABLE sections.std (id int PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());
CREATE TABLE sections.core (id int PRIMARY KEY, option_id int REFERENCES sections.option);
CREATE TABLE sections."into" (id int PRIMARY KEY);
CREATE TABLE sections."box" (id int PRIMARY KEY);
CREATE TABLE sections."table" (id int PRIMARY KEY, note text);
-- Tables whose rows have no columns to read or none to give.
CREATE TABLE sections.nothing ();
CREATE TABLE sections.only_made (
    id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    twice int GENERATED ALWAYS AS (id * 2) STORED
);
CREATE TYPE sections.sync AS ENUM ('send', 'some', 'none');
