//! The parts-marketplace example of pg-sections (not built yet: it arrives
//! once the query builder and the `#[section]` attribute exist).
