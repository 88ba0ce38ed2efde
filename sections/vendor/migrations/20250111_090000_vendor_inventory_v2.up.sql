-- Section `vendor`: new condition value, rename warehouse -> location, constraints, a view.
-- 'for_parts' is added here but not used until a later migration (PG forbids using a
-- new enum value in the transaction that added it).
ALTER TYPE vendor.item_condition ADD VALUE 'for_parts';

ALTER TABLE vendor.vendor_inventory RENAME COLUMN warehouse TO location;

ALTER TABLE vendor.vendor_inventory
    ADD CONSTRAINT vendor_inventory_quantity_nonneg CHECK (quantity >= 0),
    ADD CONSTRAINT vendor_inventory_vendor_sku_key UNIQUE (vendor_id, sku),
    ALTER COLUMN is_available SET NOT NULL,
    DROP COLUMN notes;

ALTER TABLE vendor.vendor_profile ALTER COLUMN rating DROP DEFAULT;

CREATE INDEX vendor_inventory_core_part_idx ON vendor.vendor_inventory (core_part_public_id);

CREATE VIEW vendor.available_inventory AS
    SELECT id, public_id, vendor_id, core_part_public_id, quantity, price
    FROM vendor.vendor_inventory
    WHERE is_available;

COMMENT ON COLUMN vendor.vendor_inventory.location IS 'Free-form warehouse / shelf location.';
