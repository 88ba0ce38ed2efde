CREATE SCHEMA app;
CREATE TABLE app.account (
    id serial PRIMARY KEY,
    status app.account_status NOT NULL
);
