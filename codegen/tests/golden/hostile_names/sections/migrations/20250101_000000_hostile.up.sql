-- Fixture: identifiers that are hostile to Rust code generation
-- (Rust keywords, mixed case, spaces, non-ASCII, leading digits, 63-byte names,
-- column named like its table, enum labels that are not identifiers).
CREATE SCHEMA IF NOT EXISTS hostile;

CREATE TYPE hostile.progress AS ENUM ('in progress', 'done', 'on hold!');

-- Table and columns named after Rust keywords; "Self" differs from self only by case.
CREATE TABLE hostile."type" (
    id serial PRIMARY KEY,
    "type" text NOT NULL,
    fn text,
    self text,
    "Self Type" text,
    "match" integer,
    async boolean,
    progress hostile.progress NOT NULL DEFAULT 'in progress'
);

CREATE TABLE hostile."Weird Name" (
    id serial PRIMARY KEY,
    "First Name" text,
    "lastName" text,
    "ÉtéPrénom" text,
    "2fast" boolean,
    column_name_that_is_exactly_sixty_three_characters_long_0123456 integer
);

-- A column with the same name as its table.
CREATE TABLE hostile.part (
    id serial PRIMARY KEY,
    part text NOT NULL
);

CREATE TABLE hostile."Table" (
    id serial PRIMARY KEY,
    value text,
    status hostile.progress
);
