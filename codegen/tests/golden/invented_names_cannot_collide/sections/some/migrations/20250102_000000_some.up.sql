CREATE SCHEMA "some";
CREATE TABLE "some"."from" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "none" text);
