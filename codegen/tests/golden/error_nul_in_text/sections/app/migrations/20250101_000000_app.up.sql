CREATE SCHEMA app;
CREATE TABLE app.t (id int, s text DEFAULT E'a\000b');
