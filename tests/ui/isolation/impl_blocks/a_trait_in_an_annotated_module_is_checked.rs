use pg_sections::section;

#[section("vendor")]
mod stock {
    use pg_sections::blocking::Db;
    use ui::bundled::customer::Customer;
    pub trait Peek {
        fn peek(&self, db: &Db<Customer>) -> usize { let _ = db; 0 }
    }
}

fn main() {}
