-- Reverses 20250121_090000_customer_orders_v2.up.sql
COMMENT ON TABLE customer.customer_order_item IS NULL;

DROP INDEX customer.customer_order_customer_id_idx;

ALTER TABLE customer.shopping_cart
    DROP CONSTRAINT shopping_cart_customer_item_key;

-- Rows written while full_name was nullable need a value before SET NOT NULL.
UPDATE customer.customer_profile SET full_name = '' WHERE full_name IS NULL;
ALTER TABLE customer.customer_profile
    ALTER COLUMN phone TYPE varchar(32),
    ALTER COLUMN full_name SET NOT NULL;

ALTER TABLE customer.customer_order
    ALTER COLUMN placed_at DROP DEFAULT,
    DROP COLUMN notes;

ALTER TABLE customer.customer_order_item
    DROP CONSTRAINT customer_order_item_quantity_positive,
    DROP COLUMN line_total;

ALTER TABLE customer.customer_order_item RENAME TO order_line;
