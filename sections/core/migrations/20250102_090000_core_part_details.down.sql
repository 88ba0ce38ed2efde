-- Reverses 20250102_090000_core_part_details.up.sql
COMMENT ON COLUMN core.part.replaced_by_id IS NULL;

DROP INDEX core.part_model_id_idx;

ALTER TABLE core.manufacturer DROP CONSTRAINT manufacturer_name_key;

ALTER TABLE core.model RENAME COLUMN year TO model_year;

ALTER TABLE core.part ALTER COLUMN part_number TYPE varchar(64);

ALTER TABLE core.part
    DROP CONSTRAINT part_replaced_by_fk,
    DROP CONSTRAINT part_list_price_nonneg,
    ALTER COLUMN list_price DROP DEFAULT,
    DROP COLUMN replaced_by_id,
    DROP COLUMN discontinued,
    DROP COLUMN weight_grams;
