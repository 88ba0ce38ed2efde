CREATE SCHEMA ledger;
CREATE TABLE ledger.entry (
    id serial PRIMARY KEY,
    customer_id integer NOT NULL,
    amount numeric(12, 2) NOT NULL,
    mood shop.mood,
    CONSTRAINT entry_customer_fk FOREIGN KEY (customer_id)
        REFERENCES shop.customer (id) ON DELETE CASCADE
);
CREATE TABLE ledger.staging (id serial PRIMARY KEY, amount numeric);
CREATE TABLE ledger.archive (id serial PRIMARY KEY);
ALTER TABLE ledger.staging RENAME TO batch;
