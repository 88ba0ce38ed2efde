CREATE SCHEMA app;
CREATE TYPE app.state AS ENUM ('on', 'off');
CREATE TABLE app.switch (id serial PRIMARY KEY, state app.state NOT NULL);
DROP TYPE app.state CASCADE;
