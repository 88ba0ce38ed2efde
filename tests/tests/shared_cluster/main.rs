//! The test files that need nothing of the server but a fresh database
//! each, built as one test binary: one link instead of one per file, and
//! one throwaway cluster for all of them instead of an `initdb` and a
//! server start per file. Run one file's tests with its module's name:
//! `cargo test -p tests --test shared_cluster queries::`.
//!
//! A file stays a binary of its own (`tests/*.rs`) when it starts servers
//! of its own (replicas, PgBouncer, TLS), stops or restarts the server,
//! changes its settings, counts allocations, sets the process's
//! environment, or builds other crates.

mod async_raw_sql;
mod async_streams;
mod builtins;
mod cancellation;
mod fuzz;
mod generated_code;
mod migration_files;
mod pg_dump;
mod pg_dump_random;
mod queries;
mod reliability;
mod types_without_a_mapping;
