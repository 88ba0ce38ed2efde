CREATE SCHEMA vendor;
CREATE TABLE vendor.inventory (id serial PRIMARY KEY);
-- The vendor section must not change the customer section's tables.
ALTER TABLE customer.cart ADD COLUMN vendor_note text;
