CREATE SCHEMA app;
CREATE TABLE app.account (id serial PRIMARY KEY, self text, "Self" text);
