//! The PostgreSQL server of a test process: the one `DATABASE_URL` names,
//! else the throwaway cluster this process starts, set up once by the first
//! test that needs it and shared by all.

use std::env;
use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;

use postgres::Client;

use crate::mask_password;

/// The environment variable naming an existing server to use instead of a
/// throwaway cluster.
pub(super) const DATABASE_URL: &str = "DATABASE_URL";

/// The server of this test process, set up by the first test that needs it.
///
/// It holds the error message instead when the setup failed, so that every
/// test fails with that message rather than each trying again.
static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();

/// The server of this test process, or why it could not be set up.
pub(super) fn server() -> Result<&'static Server, String> {
    SERVER
        .get_or_init(Server::set_up)
        .as_ref()
        .map_err(Clone::clone)
}

/// A PostgreSQL server that the tests create their databases on.
#[derive(Debug)]
pub(super) struct Server {
    /// Where to connect to create and drop databases.
    pub(super) maintenance_url: String,
    /// How the URL of a database is made.
    pub(super) urls: Urls,
}

/// How the URL of a database on a [`Server`] is made.
#[derive(Debug)]
pub(super) enum Urls {
    /// The database's name replaces the one of `DATABASE_URL`.
    External,
    /// The throwaway cluster listening on this port of 127.0.0.1.
    Cluster { port: u16 },
}

impl Server {
    /// Uses the server of `DATABASE_URL`, or starts a throwaway cluster.
    fn set_up() -> Result<Server, String> {
        match env::var(DATABASE_URL) {
            Ok(url) if !url.trim().is_empty() => Ok(Server {
                maintenance_url: url,
                urls: Urls::External,
            }),
            _ => super::cluster::start(&super::cluster::Extra::default()),
        }
    }

    /// The URL of the database `name` on this server.
    pub(super) fn url_of(&self, name: &str) -> String {
        match self.urls {
            Urls::External => with_dbname(&self.maintenance_url, name),
            Urls::Cluster { port } => cluster_url(port, name),
        }
    }

    /// A new connection to the maintenance database.
    pub(super) fn maintenance_client(&self) -> Result<Client, String> {
        connect(&self.maintenance_url).map_err(|error| {
            format!(
                "cannot connect to the PostgreSQL server at {}: {}",
                mask_password(&self.maintenance_url),
                with_sources(&*error)
            )
        })
    }
}

/// A blocking client of `url`, with the TLS its `sslmode` asks for: the
/// driver's error, or the TLS options' ([`crate::Error::Tls`]).
pub(super) fn connect(url: &str) -> Result<Client, Box<dyn std::error::Error + Send + Sync>> {
    let (config, tls) = crate::tls::parse(url)?;
    Ok(postgres::Config::from(config).connect(tls)?)
}

/// The URL of the database `name` of the throwaway cluster on `port`, as
/// the superuser `initdb` created.
pub(super) fn cluster_url(port: u16, name: &str) -> String {
    format!(
        "postgres://{}@127.0.0.1:{port}/{name}",
        super::cluster::SUPERUSER
    )
}

/// The connection string `url` (a `postgres://` or `postgresql://` URL, or
/// libpq's `key=value` form) with its database replaced by `name`, which
/// needs neither quoting nor percent-encoding.
pub(super) fn with_dbname(url: &str, name: &str) -> String {
    let Some(scheme_end) = ["postgres://", "postgresql://"]
        .iter()
        .find_map(|scheme| url.starts_with(scheme).then_some(scheme.len()))
    else {
        // In the key=value form, the last value given for a key wins.
        return format!("{url} dbname={name}");
    };
    let query = url.find('?').unwrap_or(url.len());
    // The path starts at the first '/' after the user info, whose password
    // may itself hold a '/'.
    let hosts = url[..query].rfind('@').map_or(scheme_end, |at| at + 1);
    let path = url[hosts..query]
        .find('/')
        .map_or(query, |slash| hosts + slash);
    // A `dbname` parameter would win over the path: leave it out.
    let params: Vec<&str> = url[query..]
        .trim_start_matches('?')
        .split('&')
        .filter(|param| {
            !param.is_empty() && param.split('=').next().is_some_and(|key| key != "dbname")
        })
        .collect();
    let params = if params.is_empty() {
        String::new()
    } else {
        format!("?{}", params.join("&"))
    };
    format!("{}/{name}{params}", &url[..path])
}

pub(super) use crate::error::with_causes as with_sources;

/// `name` as a quoted SQL identifier.
pub(super) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A tag that tells this process's databases and files from those of any
/// other process, even one with the same pid (in another container, or a
/// crashed earlier run).
pub(super) fn process_tag() -> &'static str {
    static TAG: OnceLock<String> = OnceLock::new();
    TAG.get_or_init(|| {
        let random = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        format!("{}_{:06x}", std::process::id(), random & 0xff_ffff)
    })
}

#[cfg(test)]
mod tests {
    use super::with_dbname;

    #[test]
    fn replaces_the_database_of_a_url() {
        let cases = [
            ("postgres://u:p@h:5432/app", "postgres://u:p@h:5432/t_1"),
            ("postgres://u:p@h:5432", "postgres://u:p@h:5432/t_1"),
            (
                "postgresql://h/app?sslmode=disable",
                "postgresql://h/t_1?sslmode=disable",
            ),
            (
                "postgres://h?sslmode=disable",
                "postgres://h/t_1?sslmode=disable",
            ),
            (
                "postgres://u:a/b@h1,h2:5433/app",
                "postgres://u:a/b@h1,h2:5433/t_1",
            ),
            (
                "postgres://postgres@%2Ftmp%2Fxyz:54329/app?application_name=x",
                "postgres://postgres@%2Ftmp%2Fxyz:54329/t_1?application_name=x",
            ),
            ("postgres://u@h/?dbname=devdb", "postgres://u@h/t_1"),
            (
                "postgres://u@h/app?sslmode=disable&dbname=devdb&application_name=x",
                "postgres://u@h/t_1?sslmode=disable&application_name=x",
            ),
            (
                "host=/tmp port=5432 dbname=app",
                "host=/tmp port=5432 dbname=app dbname=t_1",
            ),
        ];
        for (url, expected) in cases {
            let replaced = with_dbname(url, "t_1");
            assert_eq!(replaced, expected);
            let config: postgres::Config = replaced.parse().unwrap();
            assert_eq!(config.get_dbname(), Some("t_1"), "{replaced}");
        }
    }
}
