//! The benchmark workloads of pg-sections against its peers, on Diesel's
//! benchmark schema (users, posts, comments; `diesel_bench/Readme.md`).
//!
//! Each peer is written the way its own documentation shows: raw `postgres`
//! with a prepared statement and columns read by index (the limit every
//! other peer is measured against), raw `postgres` with a `&str` query,
//! pg-sections' generated code and query builder, Diesel 2 (sync, libpq),
//! sqlx (`FromRow`, no compile-time macros, a current-thread tokio runtime)
//! and tokio-postgres (prepared, on the same kind of runtime).
//!
//! The async workloads (`async_workloads`, `async_peers`) run the same
//! queries on the same data against raw tokio-postgres (prepared, the
//! limit), pg-sections' `Pool` and `Transaction` handles, sqlx and
//! diesel-async; W5 under concurrent load over pg-sections' pool, sqlx's,
//! deadpool-postgres and bb8-postgres; and W5 pipelined in a transaction.

#![allow(clippy::missing_panics_doc)]

pub mod alloc;
pub mod async_peers;
pub mod async_workloads;
pub mod peers;
pub mod workloads;

/// The generated code of the `bench` section.
pub mod db {
    pg_sections::include_sections!();
}

/// Diesel's schema, as `diesel print-schema --schema bench` writes it.
pub mod schema {
    diesel::table! {
        bench.comments (id) {
            id -> Int4,
            post_id -> Int4,
            text -> Text,
        }
    }

    diesel::table! {
        bench.posts (id) {
            id -> Int4,
            user_id -> Int4,
            title -> Varchar,
            body -> Nullable<Text>,
        }
    }

    diesel::table! {
        bench.users (id) {
            id -> Int4,
            name -> Varchar,
            hair_color -> Nullable<Varchar>,
        }
    }

    diesel::joinable!(comments -> posts (post_id));
    diesel::joinable!(posts -> users (user_id));

    diesel::allow_tables_to_appear_in_same_query!(comments, posts, users);
}

/// The row types every peer but pg-sections loads into (pg-sections loads
/// its generated `db::bench::{Users, Posts, Comments}`). Field types are the
/// suite's.
pub mod model {
    use diesel::prelude::*;

    use crate::schema::{comments, posts, users};

    #[derive(Debug, Clone, PartialEq, Queryable, Identifiable, sqlx::FromRow)]
    #[diesel(table_name = users)]
    pub struct User {
        pub id: i32,
        pub name: String,
        pub hair_color: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Queryable, Identifiable, Associations, sqlx::FromRow)]
    #[diesel(belongs_to(User))]
    #[diesel(table_name = posts)]
    pub struct Post {
        pub id: i32,
        pub user_id: i32,
        pub title: String,
        pub body: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Queryable, Identifiable, Associations, sqlx::FromRow)]
    #[diesel(belongs_to(Post))]
    #[diesel(table_name = comments)]
    pub struct Comment {
        pub id: i32,
        pub post_id: i32,
        pub text: String,
    }

    #[derive(Debug, Insertable)]
    #[diesel(table_name = users)]
    pub struct NewUser<'a> {
        pub name: String,
        pub hair_color: Option<&'a str>,
    }
}

/// Users with their posts, each with its comments: what W4 loads.
pub type Tree<U, P, C> = Vec<(U, Vec<(P, Vec<C>)>)>;

/// Groups users → posts → comments the way Diesel's `grouped_by` does (a
/// map from parent id to position), for the peers that have no helper of
/// their own.
pub fn group<U, P, C>(
    users: Vec<U>,
    posts: Vec<P>,
    comments: Vec<C>,
    user_id: impl Fn(&U) -> i32,
    post_id: impl Fn(&P) -> i32,
    post_user: impl Fn(&P) -> i32,
    comment_post: impl Fn(&C) -> i32,
) -> Tree<U, P, C> {
    use std::collections::HashMap;
    let post_index: HashMap<i32, usize> = posts
        .iter()
        .enumerate()
        .map(|(i, p)| (post_id(p), i))
        .collect();
    let mut by_post: Vec<Vec<C>> = posts.iter().map(|_| Vec::new()).collect();
    for c in comments {
        if let Some(&i) = post_index.get(&comment_post(&c)) {
            by_post[i].push(c);
        }
    }
    let user_index: HashMap<i32, usize> = users
        .iter()
        .enumerate()
        .map(|(i, u)| (user_id(u), i))
        .collect();
    let mut by_user: Vec<Vec<(P, Vec<C>)>> = users.iter().map(|_| Vec::new()).collect();
    for (p, cs) in posts.into_iter().zip(by_post) {
        if let Some(&i) = user_index.get(&post_user(&p)) {
            by_user[i].push((p, cs));
        }
    }
    users.into_iter().zip(by_user).collect()
}

/// A small deterministic random number generator (xorshift64*), so every
/// peer sees the same sequence of ids.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self(seed | 1)
    }

    /// A number in `1..=n`.
    pub fn id(&mut self, n: i32) -> i32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        i32::try_from(x % u64::try_from(n).unwrap_or(1)).unwrap_or(0) + 1
    }
}

/// The median of `values` (sorted in place).
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        f64::midpoint(values[n / 2 - 1], values[n / 2])
    }
}

/// The 2.5 % and 97.5 % percentiles of the median over bootstrap resamples.
pub fn interval(ratios: &[f64]) -> (f64, f64) {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let n = ratios.len();
    let mut medians: Vec<f64> = (0..2000)
        .map(|_| {
            let mut sample: Vec<f64> = (0..n)
                .map(|_| ratios[usize::try_from(next() % n as u64).unwrap_or(0)])
                .collect();
            median(&mut sample)
        })
        .collect();
    medians.sort_by(f64::total_cmp);
    (medians[50], medians[1949])
}

/// The number in environment variable `name`, or `default` when it is
/// unset or not a number.
#[must_use]
pub fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Times `peers` peers interleaved: `warmup` rounds untimed, then `rounds`
/// rounds in each of which every peer runs once, in an order rotated from
/// round to round, so that a slow stretch of the machine hits them alike.
/// `run(i)` runs peer `i` once and returns its time; the result holds each
/// peer's times, one per round.
pub fn interleave(
    peers: usize,
    warmup: usize,
    rounds: usize,
    mut run: impl FnMut(usize) -> f64,
) -> Vec<Vec<f64>> {
    for _ in 0..warmup {
        for i in 0..peers {
            run(i);
        }
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); peers];
    for round in 0..rounds {
        for k in 0..peers {
            let i = (k + round) % peers;
            times[i].push(run(i));
        }
    }
    times
}
