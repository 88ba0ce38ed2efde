#![allow(non_snake_case, non_upper_case_globals)]
use pg_sections::section;
use ui::bundled::vendor::vendor_inventory;

/// Screaming-case locals and lower-case ones named like columns, bound in
/// an outer block, a nested block, a closure and a match arm: variables,
/// not constants.
#[section("vendor")]
pub fn locals(flag: bool) -> u32 {
    let LIMIT = 3_u32;
    let quantity = 2_u32;
    let inner = {
        let TOTAL = LIMIT + quantity.pow(1);
        TOTAL
    };
    let add = |STEP: u32| STEP + inner;
    let picked = match flag {
        true => {
            let COUNT = add(1);
            COUNT
        }
        false => quantity,
    };
    let _ = vendor_inventory::quantity;
    picked + LIMIT
}

fn main() {}
