CREATE SCHEMA app;
CREATE TABLE app.board (id serial PRIMARY KEY, cells text[][] NOT NULL);
