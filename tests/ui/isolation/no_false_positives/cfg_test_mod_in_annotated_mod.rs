use pg_sections::section;

#[section("vendor")]
mod stock {
    pub fn n() -> u8 { 1 }

    #[cfg(test)]
    mod tests {
        use super::*;
        use test_only_crate::Helper;
        #[test]
        fn t() { let _ = Helper; assert_eq!(n(), 1); }
    }
}

fn main() {}
