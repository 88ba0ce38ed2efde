-- Stock of the vendors that seeds/vendors.sql inserts: runs after it.
INSERT INTO vendor.vendor_inventory (vendor_id, core_part_public_id, quantity, price, sku)
SELECT id, gen_random_uuid(), 3, 9.99, 'SKU-' || id
FROM vendor.vendor_profile;
