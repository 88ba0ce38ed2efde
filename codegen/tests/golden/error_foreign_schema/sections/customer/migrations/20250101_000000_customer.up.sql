CREATE SCHEMA customer;
CREATE TABLE customer.cart (id serial PRIMARY KEY);
