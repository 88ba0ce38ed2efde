CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'never closed;
CREATE TABLE app.t (id int);
