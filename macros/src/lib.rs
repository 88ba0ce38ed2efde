//! The `#[section("…")]` attribute of pg-sections (not built yet: it arrives
//! with the compile-time isolation work). The crate is part of the workspace
//! layout so the runtime can re-export it once it exists.
