CREATE TABLE app.t (id int);
