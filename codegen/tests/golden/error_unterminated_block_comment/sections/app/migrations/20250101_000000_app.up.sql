CREATE SCHEMA app;
/* a comment
   that never ends
CREATE TABLE app.t (id int);
