CREATE SCHEMA "we""ird\x";
CREATE TABLE "we""ird\x".item (id int PRIMARY KEY);
