-- Reverses 20250130_090000_create_auth.up.sql
DROP TABLE auth.user_customer;
DROP TABLE auth.session;
DROP TABLE auth."user";
DROP SCHEMA auth;
