CREATE SCHEMA runtime;
CREATE TABLE runtime.t (id int);
