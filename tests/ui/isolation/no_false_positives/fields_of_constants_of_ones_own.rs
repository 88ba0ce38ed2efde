// Fields of constants and statics of one's own, and of the section's own
// enums, compile.
use pg_sections::section;
use ui::bundled::vendor::ItemCondition;

pub struct Limits {
    pub max: u32,
    pub condition: ItemCondition,
}

pub const LIMITS: Limits = Limits {
    max: 10,
    condition: ItemCondition::New,
};

pub static PAIR: (u32, &str) = (1, "one");

#[section("vendor")]
pub fn limits() -> (u32, String, u32, usize) {
    (LIMITS.max, LIMITS.condition.to_string(), PAIR.0, PAIR.1.len())
}

fn main() {}
