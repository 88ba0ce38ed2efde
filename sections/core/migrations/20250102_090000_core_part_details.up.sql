-- Section `core`: part details, a self-reference for superseded parts, tighter constraints.
ALTER TABLE core.part
    ADD COLUMN weight_grams integer,
    ADD COLUMN discontinued boolean NOT NULL DEFAULT false,
    ADD COLUMN replaced_by_id bigint,
    ALTER COLUMN list_price SET DEFAULT 0,
    ADD CONSTRAINT part_list_price_nonneg CHECK (list_price >= 0),
    ADD CONSTRAINT part_replaced_by_fk FOREIGN KEY (replaced_by_id) REFERENCES core.part (id) ON DELETE SET NULL;

ALTER TABLE core.part ALTER COLUMN part_number TYPE varchar(120);

ALTER TABLE core.model RENAME COLUMN model_year TO year;

ALTER TABLE core.manufacturer ADD CONSTRAINT manufacturer_name_key UNIQUE (name);

CREATE INDEX part_model_id_idx ON core.part (model_id);

COMMENT ON COLUMN core.part.replaced_by_id IS 'The part that supersedes this one, if any.';
