use pg_sections::Runs;
use pg_sections::blocking::Db;
use ui::bundled::vendor::{Vendor, vendor_inventory};

pub fn escape(db: &Db<Vendor>) {
    // The sealing argument cannot be named, and even one conjured up
    // yields an executor with nothing to call and no field to read.
    let _ = <Db<Vendor> as Runs<vendor_inventory::Table>>::executor(db);
    #[allow(unsafe_code)]
    let executor =
        <Db<Vendor> as Runs<vendor_inventory::Table>>::executor(db, unsafe { std::mem::zeroed() });
    let _conn = executor.0;
}

fn main() {}
