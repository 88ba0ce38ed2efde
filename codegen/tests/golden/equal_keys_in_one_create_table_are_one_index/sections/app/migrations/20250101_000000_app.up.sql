CREATE SCHEMA app;
CREATE TABLE app.t (a int, UNIQUE (a), UNIQUE (a));
CREATE TABLE app.u (a int UNIQUE, b int, CONSTRAINT x UNIQUE (a));
CREATE TABLE app.v (a int);
ALTER TABLE app.v ADD UNIQUE (a);
ALTER TABLE app.v ADD UNIQUE (a);
CREATE TABLE app.w (a int UNIQUE, CONSTRAINT w_named UNIQUE (a), UNIQUE (a));
CREATE TABLE app.p (a int UNIQUE PRIMARY KEY);
CREATE TABLE app.q (a int, b int, CONSTRAINT qk UNIQUE (a, b), PRIMARY KEY (a, b));
