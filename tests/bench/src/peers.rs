//! The peers and their connections: one connection each, to one database
//! on the loopback PostgreSQL, opened once before measuring.

use diesel::Connection as _;
use postgres::{NoTls, Statement};
use sqlx::Connection as _;

use crate::Rng;
use crate::db::bench::Bench;

/// One implementation of the workloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peer {
    /// `postgres`, prepared statements, columns by index: the limit (1.0).
    RawPrepared,
    /// `postgres`, `client.query("…", &params)` with a `&str`.
    RawUnprepared,
    /// pg-sections.
    Ours,
    /// Diesel 2, sync, libpq.
    Diesel,
    /// sqlx 0.8, `FromRow`, current-thread tokio.
    Sqlx,
    /// tokio-postgres, prepared, current-thread tokio.
    TokioPostgres,
}

impl Peer {
    pub const ALL: [Peer; 6] = [
        Peer::RawPrepared,
        Peer::RawUnprepared,
        Peer::Ours,
        Peer::Diesel,
        Peer::Sqlx,
        Peer::TokioPostgres,
    ];

    /// The name used in criterion's ids and in the report.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Peer::RawPrepared => "raw_prepared",
            Peer::RawUnprepared => "raw_unprepared",
            Peer::Ours => "pg_sections",
            Peer::Diesel => "diesel",
            Peer::Sqlx => "sqlx",
            Peer::TokioPostgres => "tokio_postgres",
        }
    }
}

/// The SQL the hand-written peers send (raw `postgres`, tokio-postgres, sqlx).
pub mod sql {
    pub const ALL_USERS: &str = "SELECT id, name, hair_color FROM bench.users";
    pub const USERS_LEFT_JOIN_POSTS: &str = "SELECT u.id, u.name, u.hair_color, p.id, p.user_id, p.title, p.body \
         FROM bench.users u LEFT JOIN bench.posts p ON p.user_id = u.id WHERE u.hair_color = $1";
    /// The same, with the aliases sqlx's `FromRow` needs to tell two `id`s apart.
    pub const USERS_LEFT_JOIN_POSTS_NAMED: &str = "SELECT u.id, u.name, u.hair_color, p.id AS post_id, \
         p.user_id AS post_user_id, p.title AS post_title, p.body AS post_body \
         FROM bench.users u LEFT JOIN bench.posts p ON p.user_id = u.id WHERE u.hair_color = $1";
    pub const POSTS_OF_USERS: &str =
        "SELECT id, user_id, title, body FROM bench.posts WHERE user_id = ANY($1)";
    pub const COMMENTS_OF_POSTS: &str =
        "SELECT id, post_id, text FROM bench.comments WHERE post_id = ANY($1)";
    pub const USER_BY_ID: &str = "SELECT id, name, hair_color FROM bench.users WHERE id = $1";
    pub const UPDATE_USER: &str = "UPDATE bench.users SET hair_color = $1 WHERE id = $2";
    pub const USERS_PAGE: &str = "SELECT id, name, hair_color FROM bench.users \
         WHERE hair_color = $1 AND id > $2 ORDER BY id LIMIT $3";

    /// `INSERT INTO bench.users (name, hair_color) VALUES ($1, $2), …` for `rows` rows.
    #[must_use]
    pub fn insert_users(rows: usize) -> String {
        use std::fmt::Write as _;
        let mut s = String::from("INSERT INTO bench.users (name, hair_color) VALUES ");
        for i in 0..rows {
            if i > 0 {
                s.push_str(", ");
            }
            let _ = write!(s, "(${}, ${})", 2 * i + 1, 2 * i + 2);
        }
        s
    }
}

/// The statements raw `postgres` prepares once.
pub struct RawStatements {
    pub all_users: Statement,
    pub left_join: Statement,
    pub posts_of_users: Statement,
    pub comments_of_posts: Statement,
    pub user_by_id: Statement,
    pub update_user: Statement,
    pub users_page: Statement,
    /// `(rows, statement)` for each insert size.
    pub inserts: Vec<(usize, Statement)>,
}

/// The same for tokio-postgres.
pub struct TokioStatements {
    pub all_users: tokio_postgres::Statement,
    pub left_join: tokio_postgres::Statement,
    pub posts_of_users: tokio_postgres::Statement,
    pub comments_of_posts: tokio_postgres::Statement,
    pub user_by_id: tokio_postgres::Statement,
    pub update_user: tokio_postgres::Statement,
    pub users_page: tokio_postgres::Statement,
    pub inserts: Vec<(usize, tokio_postgres::Statement)>,
}

impl TokioStatements {
    /// Prepares every statement on `client`.
    pub async fn prepare(client: &tokio_postgres::Client) -> Self {
        let mut inserts = Vec::new();
        for n in INSERT_SIZES {
            inserts.push((n, client.prepare(&sql::insert_users(n)).await.unwrap()));
        }
        Self {
            all_users: client.prepare(sql::ALL_USERS).await.unwrap(),
            left_join: client.prepare(sql::USERS_LEFT_JOIN_POSTS).await.unwrap(),
            posts_of_users: client.prepare(sql::POSTS_OF_USERS).await.unwrap(),
            comments_of_posts: client.prepare(sql::COMMENTS_OF_POSTS).await.unwrap(),
            user_by_id: client.prepare(sql::USER_BY_ID).await.unwrap(),
            update_user: client.prepare(sql::UPDATE_USER).await.unwrap(),
            users_page: client.prepare(sql::USERS_PAGE).await.unwrap(),
            inserts,
        }
    }
}

/// Every peer's connection.
pub struct Peers {
    pub url: String,
    pub raw: postgres::Client,
    pub raw_statements: RawStatements,
    pub unprepared: postgres::Client,
    pub ours: pg_sections::blocking::Db<Bench>,
    pub diesel: diesel::PgConnection,
    pub rt: tokio::runtime::Runtime,
    pub sqlx: sqlx::PgConnection,
    pub tokio: tokio_postgres::Client,
    pub tokio_statements: TokioStatements,
    pub rng: Rng,
}

/// The insert sizes of W3.
pub const INSERT_SIZES: [usize; 3] = [1, 10, 100];

impl Peers {
    /// Connects every peer to `url` (the schema must exist).
    #[must_use]
    pub fn connect(url: &str) -> Self {
        let mut raw = postgres::Client::connect(url, NoTls).expect("raw connection");
        let raw_statements = RawStatements {
            all_users: raw.prepare(sql::ALL_USERS).unwrap(),
            left_join: raw.prepare(sql::USERS_LEFT_JOIN_POSTS).unwrap(),
            posts_of_users: raw.prepare(sql::POSTS_OF_USERS).unwrap(),
            comments_of_posts: raw.prepare(sql::COMMENTS_OF_POSTS).unwrap(),
            user_by_id: raw.prepare(sql::USER_BY_ID).unwrap(),
            update_user: raw.prepare(sql::UPDATE_USER).unwrap(),
            users_page: raw.prepare(sql::USERS_PAGE).unwrap(),
            inserts: INSERT_SIZES
                .iter()
                .map(|&n| (n, raw.prepare(&sql::insert_users(n)).unwrap()))
                .collect(),
        };
        let unprepared = postgres::Client::connect(url, NoTls).expect("raw connection");
        let ours =
            pg_sections::blocking::Db::<Bench>::connect(url).expect("pg-sections connection");
        let diesel = diesel::PgConnection::establish(url).expect("diesel connection");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        let sqlx = rt
            .block_on(sqlx::PgConnection::connect(url))
            .expect("sqlx connection");
        let (tokio, connection) = rt
            .block_on(tokio_postgres::connect(url, tokio_postgres::NoTls))
            .expect("tokio-postgres connection");
        rt.spawn(connection);
        let tokio_statements = rt.block_on(TokioStatements::prepare(&tokio));
        Self {
            url: url.to_owned(),
            raw,
            raw_statements,
            unprepared,
            ours,
            diesel,
            rt,
            sqlx,
            tokio,
            tokio_statements,
            rng: Rng::new(0x5eed),
        }
    }
}

/// Creates the schema from the section's migration.
pub fn migrate(client: &mut postgres::Client) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sections/bench/migrations");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("migrations folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".up.sql"))
        .collect();
    files.sort();
    for file in files {
        client
            .batch_execute(&std::fs::read_to_string(&file).expect("migration"))
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    }
}

/// Empties the three tables and inserts `users` users (name `User {i}`,
/// hair colour `NULL` or black/brown by parity), each with `posts` posts,
/// each with `comments` comments, as the suite describes.
pub fn seed(client: &mut postgres::Client, users: i32, colored: bool, posts: i32, comments: i32) {
    let hair = if colored {
        "CASE WHEN i % 2 = 0 THEN 'black' ELSE 'brown' END"
    } else {
        "NULL"
    };
    client
        .batch_execute(&format!(
            "TRUNCATE bench.comments, bench.posts, bench.users RESTART IDENTITY;
             INSERT INTO bench.users (name, hair_color)
                 SELECT 'User ' || i, {hair} FROM generate_series(1, {users}) AS i;
             INSERT INTO bench.posts (user_id, title, body)
                 SELECT u.id, 'Post ' || j || ' for user ' || u.id, NULL
                 FROM bench.users u, generate_series(0, {posts} - 1) AS j ORDER BY u.id, j;
             INSERT INTO bench.comments (post_id, text)
                 SELECT p.id, 'Comment ' || k || ' on post ' || p.id
                 FROM bench.posts p, generate_series(0, {comments} - 1) AS k ORDER BY p.id, k;
             ANALYZE bench.users, bench.posts, bench.comments;"
        ))
        .expect("seed");
}
