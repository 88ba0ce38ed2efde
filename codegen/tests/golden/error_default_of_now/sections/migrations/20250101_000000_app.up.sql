-- 'now' in a default is read once, when the statement runs: every row gets
-- the instant the migration ran. Each spelling is an error.
CREATE SCHEMA app;
CREATE TABLE app.event (
    id integer PRIMARY KEY,
    -- Not special: text that says now, and the function.
    note text DEFAULT 'now',
    updated_at timestamptz DEFAULT now()
);
ALTER TABLE app.event ADD COLUMN created_at timestamptz DEFAULT 'now';
ALTER TABLE app.event ADD COLUMN day date NOT NULL DEFAULT 'today'::date;
ALTER TABLE app.event ADD COLUMN at time DEFAULT ('NOW');
ALTER TABLE app.event ADD COLUMN due timestamp DEFAULT timestamp 'tomorrow';
ALTER TABLE app.event ALTER COLUMN updated_at SET DEFAULT 'yesterday';
ALTER TABLE app.event ADD COLUMN week_after date DEFAULT date 'today' + 7;
