-- A column's DEFAULT (and a domain's) is PostgreSQL's `b_expr`: each of
-- these is a syntax error on the server, at its word.
CREATE SCHEMA app;
CREATE TABLE app.flag (id int PRIMARY KEY, off boolean DEFAULT NOT true);
CREATE TABLE app.ok (id int PRIMARY KEY);
ALTER TABLE app.ok ADD COLUMN small boolean DEFAULT 1 + 1 BETWEEN 0 AND 3;
ALTER TABLE app.ok ADD COLUMN listed boolean DEFAULT 2 IN (1, 2);
ALTER TABLE app.ok ADD COLUMN named boolean DEFAULT 'a' LIKE 'a%';
ALTER TABLE app.ok ADD COLUMN either boolean DEFAULT true OR false;
ALTER TABLE app.ok ADD COLUMN known boolean DEFAULT NULL IS NULL;
ALTER TABLE app.ok ADD COLUMN any_of boolean DEFAULT 1 = ANY (ARRAY[1, 2]);
ALTER TABLE app.ok ADD COLUMN deep integer DEFAULT 1 + (2 * 3)::int + NOT 1;
CREATE DOMAIN app.yes AS boolean DEFAULT NOT false;
-- In parentheses, or in `SET DEFAULT`, the same expressions are fine.
ALTER TABLE app.ok ADD COLUMN fine boolean DEFAULT (NOT true);
ALTER TABLE app.ok ADD COLUMN also_fine boolean DEFAULT (2 IN (1, 2));
ALTER TABLE app.ok ADD COLUMN compared boolean DEFAULT - 1 < 2;
ALTER TABLE app.ok ADD COLUMN distinct_ boolean DEFAULT 1 IS DISTINCT FROM 2;
ALTER TABLE app.ok ADD COLUMN label text DEFAULT 'a' COLLATE "C";
ALTER TABLE app.ok ALTER COLUMN fine SET DEFAULT NOT false;
