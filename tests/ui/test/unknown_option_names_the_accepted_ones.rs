#[pg_sections::test(migration = false, seed = 1)]
fn empty_database(client: pg_sections::postgres::Client) {
    drop(client);
}

fn main() {}
