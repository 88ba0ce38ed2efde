-- Section `customer`: order items, cart uniqueness, relaxed profile columns.
ALTER TABLE customer.order_line RENAME TO customer_order_item;

ALTER TABLE customer.customer_order_item
    ADD COLUMN line_total numeric(12,2),
    ADD CONSTRAINT customer_order_item_quantity_positive CHECK (quantity > 0);

ALTER TABLE customer.customer_order
    ADD COLUMN notes text,
    ALTER COLUMN placed_at SET DEFAULT now();

ALTER TABLE customer.customer_profile
    ALTER COLUMN full_name DROP NOT NULL,
    ALTER COLUMN phone TYPE varchar(40);

ALTER TABLE customer.shopping_cart
    ADD CONSTRAINT shopping_cart_customer_item_key UNIQUE (customer_id, vendor_inventory_public_id);

CREATE INDEX customer_order_customer_id_idx ON customer.customer_order (customer_id);

COMMENT ON TABLE customer.customer_order_item IS 'One line of a customer order.';
