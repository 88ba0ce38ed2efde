-- Reverses 20250112_090000_vendor_for_parts_rule.up.sql
ALTER TABLE vendor.vendor_inventory
    DROP CONSTRAINT vendor_inventory_for_parts_not_available,
    DROP COLUMN for_parts_note;
