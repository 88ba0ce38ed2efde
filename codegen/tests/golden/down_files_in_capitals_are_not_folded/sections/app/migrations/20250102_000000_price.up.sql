ALTER TABLE app.part ADD COLUMN price numeric(10,2);
