CREATE SCHEMA shop;
CREATE TYPE shop.pair AS (a int, a int);
FROBNICATE shop.everything;
CREATE TABLE shop.copy AS SELECT 1 AS one;
CREATE TABLE shop.ok (id int PRIMARY KEY);
CREATE TABLE shop.twice (id int);
CREATE TABLE shop.twice (id int);
