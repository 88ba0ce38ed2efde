CREATE TABLE auth."user" (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email varchar(255) UNIQUE NOT NULL
);
CREATE TABLE auth.session (
    id text PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES auth."user" (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL
);
CREATE TABLE master.categories (
    id serial PRIMARY KEY,
    parent_id integer REFERENCES master.categories (id),
    name text NOT NULL
);
CREATE TABLE items (
    -- FKs into `master`, which is not a section here, still resolve.
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES auth."user" (id) ON DELETE CASCADE,
    category_id integer REFERENCES master.categories (id),
    title text NOT NULL
);
ALTER TABLE items SET SCHEMA app;
ALTER TABLE IF EXISTS ONLY missing_table SET SCHEMA app;
CREATE TABLE scratch.tmp (id int);
DROP SCHEMA scratch CASCADE;
INSERT INTO master.categories (name) VALUES ('Electronics');
