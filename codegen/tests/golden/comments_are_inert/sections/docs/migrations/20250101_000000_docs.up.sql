CREATE SCHEMA docs;
CREATE TYPE docs.mood AS ENUM ('ok', 'not`ok', '``');
CREATE TABLE docs.note (
    id int PRIMARY KEY,
    "a`b" text DEFAULT 'x`y',
    body text,
    mood docs.mood
);
COMMENT ON TABLE docs.note IS 'Notes.

```
compile_error!("a comment became a doctest");
```

    std::process::exit(1); // an indented code block

<script>alert(1)</script> <img src=x onerror=alert(1)>
[a link](https://example.com/phish) and a bare https://example.com/url
# Not a heading
- not a list
1. not a list either
| not | a table |
|-----|---------|
~~not struck~~ *not emphasised* _nor this_ &amp; \`';
COMMENT ON COLUMN docs.note.body IS E'\t    tab-indented ```rust\nfn main() {}';
COMMENT ON TYPE docs.mood IS '```rust
compile_error!("an enum comment became a doctest");
```';
