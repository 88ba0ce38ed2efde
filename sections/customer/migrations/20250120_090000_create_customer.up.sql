-- Section `customer`: customer profiles, carts and orders.
CREATE SCHEMA IF NOT EXISTS customer;

CREATE TYPE customer.order_status AS ENUM ('pending', 'paid', 'shipped', 'delivered', 'cancelled');

CREATE TABLE customer.customer_profile (
    id serial PRIMARY KEY,
    public_id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    email varchar(255) NOT NULL UNIQUE,
    full_name varchar(200) NOT NULL,
    phone varchar(32),
    marketing_opt_in boolean NOT NULL DEFAULT false,
    created_at timestamptz DEFAULT now() NOT NULL,
    updated_at timestamptz DEFAULT now() NOT NULL
);

CREATE TABLE customer.shopping_cart (
    id serial PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customer.customer_profile (id) ON DELETE CASCADE,
    vendor_inventory_public_id uuid NOT NULL,
    quantity integer NOT NULL DEFAULT 1,
    price_at_add numeric(12,2) NOT NULL,
    added_at timestamptz DEFAULT now() NOT NULL
);

CREATE TABLE customer.customer_order (
    id serial PRIMARY KEY,
    public_id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    customer_id integer NOT NULL REFERENCES customer.customer_profile (id) ON DELETE RESTRICT,
    status customer.order_status NOT NULL DEFAULT 'pending',
    total numeric(12,2) NOT NULL DEFAULT 0,
    placed_at timestamptz,
    shipping_address jsonb,
    created_at timestamptz DEFAULT now() NOT NULL,
    updated_at timestamptz DEFAULT now() NOT NULL
);

-- Renamed to customer.customer_order_item by the next migration.
CREATE TABLE customer.order_line (
    id serial PRIMARY KEY,
    order_id integer NOT NULL REFERENCES customer.customer_order (id) ON DELETE CASCADE,
    vendor_inventory_public_id uuid NOT NULL,
    quantity integer NOT NULL,
    unit_price numeric(12,2) NOT NULL
);

COMMENT ON COLUMN customer.shopping_cart.vendor_inventory_public_id IS 'vendor.vendor_inventory.public_id; no foreign key across sections.';
COMMENT ON COLUMN customer.customer_order.shipping_address IS 'Snapshot of the address at order time.';
