CREATE SCHEMA app;
CREATE TABLE app.line (id serial PRIMARY KEY, price numeric NOT NULL, quantity int NOT NULL);
CREATE VIEW app.line_total AS SELECT id, price * quantity AS total FROM app.line;
