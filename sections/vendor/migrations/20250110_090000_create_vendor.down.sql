-- Reverses 20250110_090000_create_vendor.up.sql
DROP TABLE vendor.vendor_inventory;
DROP TABLE vendor.vendor_profile;
DROP TYPE vendor.item_condition;
DROP SCHEMA vendor;
