//! Sections in several databases: one [`Pool`] per database, each
//! section's handles from the pool of its own (`database_url_env` per
//! section in `sections.toml`, which the generated code carries as
//! [`Section::DATABASE_URL_ENV`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::Section;
use crate::error::{Error, Result};
use crate::pool::{Db, Pool, PoolOptions};

/// The pools of a service whose sections live in several databases, one
/// per database, keyed by the environment variable of its URL.
///
/// Each section's handles come from the pool of its database
/// ([`Databases::db`]); a handle or transaction of one database refuses a
/// section of another ([`Error::OtherDatabase`]), since PostgreSQL keeps a
/// transaction within one database and nothing here runs a two-phase
/// commit. Cheap to clone.
///
/// ```no_run
/// # #[derive(Clone, Copy)] struct Ledger;
/// # impl pg_sections::Section for Ledger {
/// #     const NAME: &'static str = "ledger";
/// #     const SCHEMA: &'static str = "ledger";
/// #     const DATABASE_URL_ENV: &'static str = "LEDGER_DATABASE_URL";
/// # }
/// # async fn run() -> pg_sections::Result<()> {
/// let databases =
///     pg_sections::Databases::connect_from_env(&["DATABASE_URL", "LEDGER_DATABASE_URL"]).await?;
/// let ledger = databases.db::<Ledger>()?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, Default)]
pub struct Databases {
    pools: BTreeMap<Arc<str>, Pool>,
}

impl Databases {
    /// A pool per variable of `vars`, to the URL it holds, with the
    /// default options.
    ///
    /// # Errors
    /// [`Error::Pool`] naming a variable that is not set; each pool's
    /// errors as [`PoolOptions::connect`]'s.
    pub async fn connect_from_env(vars: &[&str]) -> Result<Self> {
        Self::connect_from_env_with(vars, |_, options| options).await
    }

    /// [`Databases::connect_from_env`], each pool's options set by
    /// `options` (given the variable and the options to change).
    ///
    /// # Errors
    /// As [`Databases::connect_from_env`].
    pub async fn connect_from_env_with(
        vars: &[&str],
        options: impl Fn(&str, PoolOptions) -> PoolOptions,
    ) -> Result<Self> {
        let mut databases = Self::default();
        for var in vars {
            let url = std::env::var(var).map_err(|_| Error::Pool {
                message: format!(
                    "{var} is not set: it holds the URL of the database of the sections whose `database_url_env` it is"
                ),
            })?;
            let pool = options(var, Pool::options(&url)).connect().await?;
            databases = databases.with(var, pool);
        }
        Ok(databases)
    }

    /// These databases with `pool` as the one of `var`'s database.
    #[must_use]
    pub fn with(mut self, var: &str, mut pool: Pool) -> Self {
        let var: Arc<str> = var.into();
        pool.database_url_env = Some(Arc::clone(&var));
        self.pools.insert(var, pool);
        self
    }

    /// The pool of section `S`'s database (for its transactions:
    /// `databases.pool::<Ledger>()?.transaction(…)`).
    ///
    /// # Errors
    /// [`Error::NoDatabase`] when no pool is of its database.
    pub fn pool<S: Section>(&self) -> Result<&Pool> {
        self.pools
            .get(S::DATABASE_URL_ENV)
            .ok_or(Error::NoDatabase {
                section: S::NAME,
                database: S::DATABASE_URL_ENV,
            })
    }

    /// A handle of section `S` over the pool of its database.
    ///
    /// # Errors
    /// [`Error::NoDatabase`] when no pool is of its database.
    pub fn db<S: Section>(&self) -> Result<Db<S>> {
        self.pool::<S>().map(Pool::db)
    }
}
