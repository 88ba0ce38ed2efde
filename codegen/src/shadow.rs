//! The shadow source (`source = "shadow"`): every migration of the folder
//! applied to a throwaway database, which is then read as the live source
//! reads a database, and dropped. Whatever PostgreSQL accepts becomes a
//! model: views of the database's own functions, forms the DDL source does
//! not read.
//!
//! The server is `SHADOW_DATABASE_URL`'s, where a database of a unique name
//! is created for the read and dropped after it; without the variable, a
//! throwaway cluster of this process (`initdb` and `pg_ctl`, removed when
//! the process ends), as the tests use. Never the database the URL variable
//! names: a shadow database is created and dropped, which no one's real
//! server should see from a build.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::error::Error;
use crate::layout::Layout;
use crate::model::Section;
use crate::sources::SHADOW_URL_ENV;

/// Databases created by this process, for unique names.
static NEXT: AtomicU32 = AtomicU32::new(0);

/// The shadow sections `names`, read from a throwaway database with every
/// migration of `layout` applied; and where the database was (for the
/// warning that says so).
///
/// # Errors
/// No server (the variable's cannot be reached; no PostgreSQL programs for a
/// cluster), a migration the server refuses (its file and the server's
/// message), a catalog query that fails.
pub fn read(
    layout: &Layout,
    settings: &crate::Settings,
    names: &[String],
    server: Option<&str>,
    timeout: Duration,
) -> Result<(Vec<Section>, String), Error> {
    let (server, place) = match server {
        Some(url) => (url.to_owned(), format!("on {}", crate::live::mask_password(url))),
        None => (
            pg_sections::testing::start_cluster("", &[]).map_err(|message| Error::Database {
                message: format!(
                    "the shadow source needs a PostgreSQL server: set {SHADOW_URL_ENV} to one where it may create and drop a database, or install PostgreSQL's programs for a throwaway cluster ({message})"
                ),
            })?,
            "in a throwaway cluster".to_owned(),
        ),
    };
    let name = format!(
        "pg_sections_shadow_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = crate::live::connect(&server, timeout).map_err(|e| match e {
        Error::Connect { url, message } => Error::Database {
            message: format!(
                "cannot connect to the shadow server {url} ({SHADOW_URL_ENV}): {message}\n  = help: check that it runs and the URL is right, or unset {SHADOW_URL_ENV} to let the build start a throwaway cluster"
            ),
        },
        other => other,
    })?;
    admin
        .batch_execute(&format!("CREATE DATABASE \"{name}\" TEMPLATE template0"))
        .map_err(|e| Error::Database {
            message: format!(
                "cannot create the shadow database `{name}` on {}: {}",
                crate::live::mask_password(&server),
                pg_sections::with_causes(&e)
            ),
        })?;
    let url = pg_sections::testing::url_of_database(&server, &name);
    let read = apply_and_read(layout, settings, names, &url, timeout);
    let dropped = admin.batch_execute(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"));
    let sections = read?;
    dropped.map_err(|e| Error::Database {
        message: format!(
            "cannot drop the shadow database `{name}` on {}: {}",
            crate::live::mask_password(&server),
            pg_sections::with_causes(&e)
        ),
    })?;
    Ok((sections, place))
}

fn apply_and_read(
    layout: &Layout,
    settings: &crate::Settings,
    names: &[String],
    url: &str,
    timeout: Duration,
) -> Result<Vec<Section>, Error> {
    let mut client = crate::live::connect(url, timeout)?;
    crate::migrate::up(
        &mut client,
        layout,
        &[],
        &crate::migrate::Options::default(),
    )
    .map_err(|e| match e {
        // What stayed applied stayed in the shadow database, which is
        // dropped.
        Error::Migration {
            section,
            file,
            message,
            rolled_back,
        } => Error::Migration {
            section,
            file,
            rolled_back,
            message: format!(
                "{}\n  = note: in the shadow database, which was dropped: nothing else changed",
                message.split("\n  = note: ").next().unwrap_or(&message)
            ),
        },
        other => other,
    })?;
    drop(client);
    let pairs: Vec<(String, String)> = names
        .iter()
        .map(|n| (n.clone(), settings.schema_of(n).to_owned()))
        .collect();
    crate::live::read(url, &pairs, timeout)
}
