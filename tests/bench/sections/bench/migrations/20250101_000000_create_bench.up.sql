-- Diesel's benchmark schema (diesel_bench/Readme.md), as one section, with
-- the foreign keys that let the query builder join along them.
CREATE SCHEMA bench;

CREATE TABLE bench.users (
    id SERIAL PRIMARY KEY,
    name VARCHAR NOT NULL,
    hair_color VARCHAR
);

CREATE TABLE bench.posts (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES bench.users (id),
    title VARCHAR NOT NULL,
    body TEXT
);

CREATE TABLE bench.comments (
    id SERIAL PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES bench.posts (id),
    text TEXT NOT NULL
);

CREATE INDEX posts_user_id ON bench.posts (user_id);
CREATE INDEX comments_post_id ON bench.comments (post_id);
