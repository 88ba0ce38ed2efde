CREATE SCHEMA shop;
CREATE TYPE shop.pair AS (a int, a int);
FROBNICATE shop.everything;
ALTER VIEW shop.v SET SCHEMA elsewhere;
CREATE TABLE shop.ok (id int PRIMARY KEY);
CREATE TABLE shop.twice (id int);
CREATE TABLE shop.twice (id int);
