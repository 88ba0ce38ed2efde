-- Reverses 20250120_090000_create_customer.up.sql
DROP TABLE customer.order_line;
DROP TABLE customer.customer_order;
DROP TABLE customer.shopping_cart;
DROP TABLE customer.customer_profile;
DROP TYPE customer.order_status;
DROP SCHEMA customer;
