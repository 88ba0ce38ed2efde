CREATE SCHEMA app;
CREATE FUNCTION app.f() RETURNS int AS $body$
  SELECT 1;
CREATE TABLE app.t (id int);
