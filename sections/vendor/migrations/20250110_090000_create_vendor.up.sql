-- Section `vendor`: vendor profiles and the inventory they offer.
CREATE SCHEMA IF NOT EXISTS vendor;

CREATE TYPE vendor.item_condition AS ENUM ('new', 'used', 'refurbished');

CREATE TABLE vendor.vendor_profile (
    id serial PRIMARY KEY,
    public_id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    business_name varchar(200) NOT NULL,
    contact_email varchar(255),
    website text,
    rating numeric(3,2) DEFAULT 0,
    created_at timestamptz DEFAULT now() NOT NULL,
    updated_at timestamptz DEFAULT now() NOT NULL
);

CREATE TABLE vendor.vendor_inventory (
    id serial PRIMARY KEY,
    public_id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    vendor_id integer NOT NULL REFERENCES vendor.vendor_profile (id) ON DELETE CASCADE,
    core_part_public_id uuid NOT NULL,
    condition vendor.item_condition NOT NULL DEFAULT 'new',
    quantity integer NOT NULL DEFAULT 0,
    price numeric(12,2) NOT NULL,
    sku varchar(100),
    warehouse text,
    is_available boolean DEFAULT true,
    created_at timestamptz DEFAULT now() NOT NULL,
    updated_at timestamptz DEFAULT now() NOT NULL,
    notes text
);

COMMENT ON TABLE vendor.vendor_inventory IS 'Stock a vendor holds of a core part.';
COMMENT ON COLUMN vendor.vendor_inventory.core_part_public_id IS 'core.part.public_id; no foreign key across sections, checked by the application.';
