use pg_sections::section;

#[section("vendor")]
mod stock {
    use pg_sections::blocking::Db;
    use tests::bundled::customer::Customer;
    pub trait Peek {
        fn peek(&self, db: &Db<Customer>) -> usize { let _ = db; 0 }
    }
}

fn main() {}
