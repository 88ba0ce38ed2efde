-- Reverses 20250111_090000_vendor_inventory_v2.up.sql
COMMENT ON COLUMN vendor.vendor_inventory.location IS NULL;

DROP VIEW vendor.available_inventory;

DROP INDEX vendor.vendor_inventory_core_part_idx;

ALTER TABLE vendor.vendor_profile ALTER COLUMN rating SET DEFAULT 0;

ALTER TABLE vendor.vendor_inventory
    ADD COLUMN notes text,
    ALTER COLUMN is_available DROP NOT NULL,
    DROP CONSTRAINT vendor_inventory_vendor_sku_key,
    DROP CONSTRAINT vendor_inventory_quantity_nonneg;

ALTER TABLE vendor.vendor_inventory RENAME COLUMN location TO warehouse;

-- PostgreSQL cannot drop an enum value: rebuild the type without 'for_parts'.
UPDATE vendor.vendor_inventory SET condition = 'used' WHERE condition = 'for_parts';
ALTER TABLE vendor.vendor_inventory ALTER COLUMN condition DROP DEFAULT;
ALTER TYPE vendor.item_condition RENAME TO item_condition_old;
CREATE TYPE vendor.item_condition AS ENUM ('new', 'used', 'refurbished');
ALTER TABLE vendor.vendor_inventory
    ALTER COLUMN condition TYPE vendor.item_condition USING condition::text::vendor.item_condition;
ALTER TABLE vendor.vendor_inventory ALTER COLUMN condition SET DEFAULT 'new';
DROP TYPE vendor.item_condition_old;
