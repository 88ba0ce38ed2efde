//! The cases that must compile, each a module of this one crate: code that
//! uses sections as it may (`isolation/no_false_positives/`) and the
//! crossings the attribute does not catch yet (`isolation/known_limits/`,
//! the README's list: each is moved to its category once caught, when it
//! stops compiling here). `cargo test` builds examples, so a case that stops
//! compiling fails the suite; one crate compiles them all at once, where
//! trybuild would build and link a program per case.
//!
//! Each case is written as a program of its own (its `main` does nothing
//! that needs running), so what a crate of them leaves unused is allowed.

#![allow(
    dead_code,
    unused,
    unsafe_code,
    unexpected_cfgs,
    improper_ctypes,
    missing_docs,
    non_camel_case_types,
    non_snake_case,
    non_upper_case_globals,
    clippy::all,
    clippy::pedantic,
    clippy::restriction,
    reason = "the cases are programs of their own, compiled together"
)]

include!(concat!(env!("OUT_DIR"), "/cases.rs"));

fn main() {}
