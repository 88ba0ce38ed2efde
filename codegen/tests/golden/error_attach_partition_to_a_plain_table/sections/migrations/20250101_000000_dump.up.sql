-- `ATTACH PARTITION` needs a parent declared `PARTITION BY`.
CREATE SCHEMA shop;
CREATE TABLE shop.event (id bigint NOT NULL);
CREATE TABLE shop.event_2025 (id bigint NOT NULL);
ALTER TABLE ONLY shop.event ATTACH PARTITION shop.event_2025 FOR VALUES FROM (1) TO (2);
