//! Codegen's in-memory steps on the sections folder named by `BENCH_SCHEMA`
//! (`./run` writes 1 000 tables × 12 columns in 20 sections there): reading
//! the folder's layout, folding the DDL into the model, and emitting the
//! formatted Rust.

use std::path::PathBuf;
use std::time::Duration;

use criterion::Criterion;

fn main() {
    let Some(dir) = std::env::var_os("BENCH_SCHEMA").map(PathBuf::from) else {
        eprintln!("BENCH_SCHEMA is not set: nothing to measure (./run sets it)");
        return;
    };
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .without_plots()
        .configure_from_args();

    let layout = codegen::Layout::read(&dir).expect("layout");
    let settings = codegen::Settings::load(&dir).expect("settings");
    let sections = codegen::ddl::read(&layout, &settings).expect("ddl");
    let tables: usize = sections.iter().map(|s| s.tables.len()).sum();
    assert_eq!(tables, 1_000, "the generated schema has 1 000 tables");

    let mut group = c.benchmark_group("codegen");
    group.bench_function("layout_read", |b| {
        b.iter(|| codegen::Layout::read(&dir).expect("layout"));
    });
    group.bench_function("ddl_read", |b| {
        b.iter(|| codegen::ddl::read(&layout, &settings).expect("ddl"));
    });
    group.bench_function("generate_code", |b| {
        b.iter(|| {
            codegen::generate_code(&sections, &settings, codegen::DateTimeCrate::Chrono)
                .expect("generate")
        });
    });
    group.bench_function("generate_in_memory", |b| {
        b.iter(|| {
            codegen::Config::new(&dir)
                .generate_in_memory()
                .expect("generate")
        });
    });
    group.finish();
    c.final_summary();
}
