//! Only the `customer` section of the bundled sections: its module and its
//! migrations. No other section's code exists in this crate.

fn main() {
    codegen::Config::new("../../../sections")
        .sections(["customer"])
        .build();
}
