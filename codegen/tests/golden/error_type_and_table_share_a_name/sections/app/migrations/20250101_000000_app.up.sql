CREATE SCHEMA app;
CREATE TABLE app."Table" (id int);
CREATE TYPE app."Table" AS ENUM ('a');
CREATE DOMAIN app.money AS numeric(10,2);
CREATE TABLE app.money (id int);
