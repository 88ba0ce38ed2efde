-- Reverses 20250101_090000_create_core.up.sql
DROP TABLE core.part;
DROP TABLE core.model;
DROP TABLE core.manufacturer;
DROP SCHEMA core;
