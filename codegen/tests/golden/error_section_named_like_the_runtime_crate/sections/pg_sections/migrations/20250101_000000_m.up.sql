CREATE SCHEMA pg_sections;
CREATE TABLE pg_sections.t (id int);
