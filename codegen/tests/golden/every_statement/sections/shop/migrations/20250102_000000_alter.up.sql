ALTER TABLE shop.purchase ADD COLUMN quantity integer NOT NULL DEFAULT 1;
ALTER TABLE shop.purchase ADD COLUMN IF NOT EXISTS quantity integer;
ALTER TABLE shop.purchase ADD placed_at timestamptz;
ALTER TABLE ONLY shop.purchase
    ALTER COLUMN note TYPE varchar(500),
    ALTER COLUMN note SET DEFAULT '',
    ALTER COLUMN note SET NOT NULL,
    ALTER COLUMN placed_at SET DEFAULT now(),
    ADD CONSTRAINT purchase_quantity_positive CHECK (quantity > 0);
ALTER TABLE shop.purchase ALTER COLUMN note DROP DEFAULT;
ALTER TABLE shop.purchase ALTER COLUMN note DROP NOT NULL;
ALTER TABLE shop.purchase ALTER note SET DATA TYPE text;
ALTER TABLE shop.purchase RENAME COLUMN note TO remark;
ALTER TABLE shop.purchase RENAME remark TO comment;
ALTER TABLE shop.purchase DROP CONSTRAINT purchase_quantity_positive;
ALTER TABLE shop.purchase DROP CONSTRAINT IF EXISTS purchase_quantity_positive;
ALTER TABLE shop.purchase RENAME CONSTRAINT purchase_sku_variant_fkey TO purchase_product_fkey;
ALTER TABLE shop.purchase RENAME TO "order";
ALTER TABLE IF EXISTS shop.nowhere ADD COLUMN x int;
ALTER TABLE shop."order" ADD COLUMN obsolete int;
-- PostgreSQL runs the drops of one ALTER TABLE before its additions.
ALTER TABLE shop."order" ADD COLUMN obsolete text, DROP COLUMN obsolete;
ALTER TABLE shop."order" DROP COLUMN obsolete;
ALTER TABLE shop."order" ADD COLUMN temp_flag bool;
ALTER TABLE shop."order" DROP COLUMN IF EXISTS temp_flag;
ALTER TABLE shop."order" DROP COLUMN IF EXISTS temp_flag;
ALTER TABLE shop.customer ADD CONSTRAINT customer_email_lower CHECK (email = lower(email));
ALTER TABLE shop.customer OWNER TO CURRENT_USER;
ALTER TABLE shop.customer ENABLE ROW LEVEL SECURITY;
ALTER TABLE shop.customer ADD COLUMN "Display Name" text;
COMMENT ON COLUMN shop.customer."Display Name" IS 'Shown in the shop.';
COMMENT ON COLUMN shop.customer."Display Name" IS NULL;
COMMENT ON TABLE shop.customer IS 'People who buy.';

CREATE VIEW shop.order_summary (order_id, customer_email, item) AS
    SELECT o.id, c.email, o.sku
    FROM shop."order" o
    JOIN shop.customer c ON c.id = o.customer_id;
CREATE OR REPLACE VIEW shop.order_summary (order_id, customer_email, item) AS
    SELECT o.id, c.email, o.sku
    FROM shop."order" o
    JOIN shop.customer c ON c.id = o.customer_id;
CREATE MATERIALIZED VIEW shop.price_list AS
    SELECT p.sku, p.variant, p.price::float8 AS price, 'EUR' AS currency, 1 AS version, true AS listed
    FROM shop.product p;
COMMENT ON VIEW shop.order_summary IS 'One line per order.';
COMMENT ON MATERIALIZED VIEW shop.price_list IS 'Refreshed nightly.';
CREATE VIEW shop.all_customers AS SELECT * FROM shop.customer;
CREATE VIEW shop.scratch_view AS SELECT 1 AS one;
DROP VIEW shop.scratch_view;
CREATE TYPE shop.old_state AS ENUM ('a', 'b');
ALTER TYPE shop.old_state RENAME TO state;
CREATE TABLE shop.flag (id integer NOT NULL, state shop.state NOT NULL DEFAULT 'a');
ALTER TABLE shop.flag ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;
COMMENT ON DOMAIN shop.positive_int IS 'Greater than zero.';
CREATE MATERIALIZED VIEW shop.scratch_matview AS SELECT id FROM shop.flag;
DROP MATERIALIZED VIEW shop.scratch_matview;
