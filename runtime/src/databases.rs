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

    /// Databases to connect to as the sections say: name each section
    /// with [`FromEnv::section`], then [`FromEnv::connect`] opens a pool
    /// per database, its URL read from the section's
    /// [`Section::DATABASE_URL_ENV`], with the streaming replicas of its
    /// [`Section::REPLICA_URL_ENVS`].
    ///
    /// ```no_run
    /// # #[derive(Clone, Copy)] struct Ledger;
    /// # impl pg_sections::Section for Ledger {
    /// #     const NAME: &'static str = "ledger";
    /// #     const SCHEMA: &'static str = "ledger";
    /// #     const DATABASE_URL_ENV: &'static str = "LEDGER_DATABASE_URL";
    /// # }
    /// # async fn run() -> pg_sections::Result<()> {
    /// let databases = pg_sections::Databases::from_env()
    ///     .section::<Ledger>()
    ///     .connect()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_env() -> FromEnv {
        FromEnv {
            databases: Vec::new(),
            options: None,
        }
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

/// The databases of some sections, to connect to: [`Databases::from_env`].
#[must_use = "nothing connects until `connect` is called"]
pub struct FromEnv {
    /// Each database: its variable, its replicas' variables, its sections.
    databases: Vec<(&'static str, &'static [&'static str], Vec<&'static str>)>,
    options: Option<OptionsFn>,
}

/// How [`FromEnv::options`] sets each pool's options.
type OptionsFn = Box<dyn Fn(&str, PoolOptions) -> PoolOptions + Send + Sync>;

impl std::fmt::Debug for FromEnv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FromEnv")
            .field("databases", &self.databases)
            .finish_non_exhaustive()
    }
}

impl FromEnv {
    /// Section `S` is among those the service uses: its database gets a
    /// pool.
    pub fn section<S: Section>(mut self) -> Self {
        match self
            .databases
            .iter_mut()
            .find(|(var, ..)| *var == S::DATABASE_URL_ENV)
        {
            Some((.., sections)) => sections.push(S::NAME),
            None => self
                .databases
                .push((S::DATABASE_URL_ENV, S::REPLICA_URL_ENVS, vec![S::NAME])),
        }
        self
    }

    /// Sets each pool's options (given its database's variable and the
    /// options so far: the URL and replicas read from the environment).
    pub fn options(
        mut self,
        options: impl Fn(&str, PoolOptions) -> PoolOptions + Send + Sync + 'static,
    ) -> Self {
        self.options = Some(Box::new(options));
        self
    }

    /// Opens a pool per database.
    ///
    /// # Errors
    /// [`Error::Pool`] naming a variable that is not set (and the sections
    /// that need it); each pool's errors as [`PoolOptions::connect`]'s.
    pub async fn connect(self) -> Result<Databases> {
        let read = |var: &str, sections: &[&str], what: &str| {
            std::env::var(var).map_err(|_| Error::Pool {
                message: format!(
                    "{var} is not set: it holds the URL of {what} of the database of section{} {}",
                    if sections.len() == 1 { "" } else { "s" },
                    sections.join(", ")
                ),
            })
        };
        let mut databases = Databases::default();
        for (var, replicas, sections) in &self.databases {
            let mut options = Pool::options(&read(var, sections, "the primary")?);
            for replica in *replicas {
                options = options.replica(&read(replica, sections, "a replica")?);
            }
            if let Some(set) = &self.options {
                options = set(var, options);
            }
            databases = databases.with(var, options.connect().await?);
        }
        Ok(databases)
    }
}
