-- A schema of its own, for a test on an empty database (`migrations = false`).
CREATE TABLE note (body text NOT NULL);
INSERT INTO note VALUES ('first'), ('second');
