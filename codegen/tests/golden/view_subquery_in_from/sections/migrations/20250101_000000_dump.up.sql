-- pg_dump writes a view's subquery in FROM as it was written: its columns
-- cannot be typed without a server yet.
CREATE SCHEMA shop;
CREATE TABLE shop."order" (id bigint NOT NULL, total numeric NOT NULL);
CREATE VIEW shop.big_order AS
 SELECT o.id
   FROM ( SELECT "order".id
           FROM shop."order"
          WHERE ("order".total > (100)::numeric)) o;
