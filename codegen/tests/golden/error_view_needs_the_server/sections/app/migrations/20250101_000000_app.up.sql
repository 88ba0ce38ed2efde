-- What a view's column types need the server for: each is one error, all
-- in one run.
CREATE SCHEMA app;
CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA app;
CREATE FUNCTION app.tax(numeric) RETURNS numeric LANGUAGE sql AS 'SELECT $1 * 0.2';
CREATE TABLE app.line (id serial PRIMARY KEY, price numeric NOT NULL, handle app.citext);
CREATE VIEW app.taxed AS SELECT id, app.tax(price) AS tax FROM app.line;
CREATE VIEW app.handles AS SELECT id, lower(handle) AS h FROM app.line;
CREATE VIEW app.typo AS SELECT id, lenght(handle::text) AS n FROM app.line;
CREATE VIEW app.joined AS SELECT id, price || price AS twice FROM app.line;
CREATE VIEW app.ranked AS SELECT id, rank() AS r FROM app.line;
CREATE VIEW app.records AS SELECT * FROM json_to_record('{}');
CREATE VIEW app.listed AS SELECT * FROM json_each('{}');
CREATE VIEW app.catalog AS SELECT relname FROM pg_class;
