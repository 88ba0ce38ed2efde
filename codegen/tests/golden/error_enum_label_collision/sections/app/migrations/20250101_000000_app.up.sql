CREATE SCHEMA app;
CREATE TYPE app.progress AS ENUM ('in progress', 'done', 'Done!');
