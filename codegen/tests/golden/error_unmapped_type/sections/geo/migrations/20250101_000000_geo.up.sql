CREATE SCHEMA geo;
CREATE TABLE geo.place (id serial PRIMARY KEY, location point NOT NULL);
