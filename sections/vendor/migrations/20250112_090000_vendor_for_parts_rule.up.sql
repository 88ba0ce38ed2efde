-- Section `vendor`: uses the 'for_parts' value added by the previous migration
-- (it must live in a later transaction than the ALTER TYPE ... ADD VALUE).
ALTER TABLE vendor.vendor_inventory
    ADD COLUMN for_parts_note text,
    ADD CONSTRAINT vendor_inventory_for_parts_not_available CHECK (condition <> 'for_parts' OR NOT is_available);
