-- The second statement names a table that does not exist.
CREATE TABLE note (body text);
INSERT INTO no_such_table VALUES (1);
