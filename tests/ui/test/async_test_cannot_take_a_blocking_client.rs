use pg_sections::blocking::Connection;

#[pg_sections::test]
async fn blocking_inside_async(conn: Connection) {
    conn.batch_execute("SELECT 1").unwrap();
}

fn main() {}
