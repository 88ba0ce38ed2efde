//! The workloads W1–W7 once per async peer, with the queries, data and
//! row types of the blocking ones (`workloads.rs`); W5 under concurrent
//! load over each pool; and W5 pipelined in a transaction. Each returns how
//! many rows it read or wrote, so the harness can check that every peer did
//! the same work.

use std::hint::black_box;

use futures_util::future::join_all;
use pg_sections::Table as _;
use postgres::types::ToSql;

use crate::Rng;
use crate::async_peers::{AsyncPeer, AsyncPeers, PoolPeer, Pools};
use crate::db::bench::{self as g, comments as g_comments, posts as g_posts, users as g_users};
use crate::model::{Comment, NewUser, Post, User};
use crate::peers::sql;
use crate::workloads::{
    HAIR, POINT_USERS, UserPostRow, comment, insert_names, post, user, user_and_post, w7_diesel,
    w7_query,
};

/// One workload, for [`AsyncPeers::run`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    W1,
    W2,
    /// A multi-row insert of this many users.
    W3(usize),
    W4,
    W5,
    W6,
    W7,
}

/// Runs `$body` with `$e` the sqlx executor of `$peer`: the `PgPool` for
/// [`AsyncPeer::SqlxPool`], the `PgConnection` otherwise.
macro_rules! on_sqlx {
    ($peers:expr, $peer:expr, |$e:ident| $body:expr) => {
        if $peer == AsyncPeer::SqlxPool {
            let $e = &$peers.sqlx_pool;
            $body
        } else {
            let $e = &mut $peers.sqlx;
            $body
        }
    };
}

impl AsyncPeers {
    /// Runs workload `w` once as `peer`.
    pub async fn run(&mut self, w: Workload, peer: AsyncPeer) -> usize {
        match w {
            Workload::W1 => self.w1(peer).await,
            Workload::W2 => self.w2(peer).await,
            Workload::W3(n) => self.w3(peer, n).await,
            Workload::W4 => self.w4(peer).await,
            Workload::W5 => self.w5(peer).await,
            Workload::W6 => self.w6(peer).await,
            Workload::W7 => self.w7(peer).await,
        }
    }

    /// W1: every user.
    pub async fn w1(&mut self, peer: AsyncPeer) -> usize {
        match peer {
            AsyncPeer::TokioPostgres => {
                let rows = self
                    .tokio
                    .query(&self.tokio_statements.all_users, &[])
                    .await
                    .unwrap();
                let users: Vec<User> = rows.iter().map(user).collect();
                black_box(users).len()
            }
            AsyncPeer::Ours | AsyncPeer::OursTransaction => {
                let users = g_users::Table
                    .select()
                    .fetch_all(self.ours_db(peer))
                    .await
                    .unwrap();
                black_box(users).len()
            }
            AsyncPeer::Sqlx | AsyncPeer::SqlxPool => {
                let users = on_sqlx!(self, peer, |e| sqlx::query_as::<_, User>(sql::ALL_USERS)
                    .fetch_all(e)
                    .await)
                .unwrap();
                black_box(users).len()
            }
            AsyncPeer::DieselAsync => {
                use crate::schema::users;
                use diesel_async::RunQueryDsl as _;
                let users = users::table.load::<User>(&mut self.diesel).await.unwrap();
                black_box(users).len()
            }
        }
    }

    /// W2: users with hair colour `black`, left-joined to their posts.
    pub async fn w2(&mut self, peer: AsyncPeer) -> usize {
        let color = "black";
        match peer {
            AsyncPeer::TokioPostgres => {
                let rows = self
                    .tokio
                    .query(&self.tokio_statements.left_join, &[&color])
                    .await
                    .unwrap();
                let pairs: Vec<(User, Option<Post>)> = rows.iter().map(user_and_post).collect();
                black_box(pairs).len()
            }
            AsyncPeer::Ours | AsyncPeer::OursTransaction => {
                let pairs = g_users::Table
                    .select()
                    .left_join(g_posts::Table)
                    .filter(g_users::hair_color.eq(color))
                    .fetch_all(self.ours_db(peer))
                    .await
                    .unwrap();
                black_box(pairs).len()
            }
            AsyncPeer::Sqlx | AsyncPeer::SqlxPool => {
                let rows = on_sqlx!(self, peer, |e| sqlx::query_as::<_, UserPostRow>(
                    sql::USERS_LEFT_JOIN_POSTS_NAMED
                )
                .bind(color)
                .fetch_all(e)
                .await)
                .unwrap();
                let pairs: Vec<(User, Option<Post>)> =
                    rows.into_iter().map(UserPostRow::split).collect();
                black_box(pairs).len()
            }
            AsyncPeer::DieselAsync => {
                use crate::schema::{posts, users};
                use diesel::{ExpressionMethods as _, QueryDsl as _};
                use diesel_async::RunQueryDsl as _;
                let pairs = users::table
                    .left_join(posts::table)
                    .filter(users::hair_color.eq(color))
                    .load::<(User, Option<Post>)>(&mut self.diesel)
                    .await
                    .unwrap();
                black_box(pairs).len()
            }
        }
    }

    /// W3: one multi-row insert of `n` users.
    pub async fn w3(&mut self, peer: AsyncPeer, n: usize) -> usize {
        let inserted = match peer {
            AsyncPeer::TokioPostgres => {
                let names = insert_names(n);
                let mut params: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(2 * n);
                for name in &names {
                    params.push(name);
                    params.push(&HAIR);
                }
                let statement = &self
                    .tokio_statements
                    .inserts
                    .iter()
                    .find(|(rows, _)| *rows == n)
                    .expect("a prepared insert of this size")
                    .1;
                self.tokio.execute(statement, &params).await.unwrap()
            }
            AsyncPeer::Ours | AsyncPeer::OursTransaction => g_users::Table
                .insert_many((0..n).map(|i| g::NewUsers {
                    id: None,
                    name: format!("User {i}"),
                    hair_color: Some(HAIR.to_owned()),
                }))
                .execute(self.ours_db(peer))
                .await
                .unwrap(),
            AsyncPeer::Sqlx | AsyncPeer::SqlxPool => {
                let mut builder: sqlx::QueryBuilder<'_, sqlx::Postgres> =
                    sqlx::QueryBuilder::new("INSERT INTO bench.users (name, hair_color) ");
                builder.push_values(0..n, |mut row, i| {
                    row.push_bind(format!("User {i}")).push_bind(HAIR);
                });
                on_sqlx!(self, peer, |e| builder.build().execute(e).await)
                    .unwrap()
                    .rows_affected()
            }
            AsyncPeer::DieselAsync => {
                use crate::schema::users;
                use diesel_async::RunQueryDsl as _;
                let rows: Vec<NewUser<'_>> = (0..n)
                    .map(|i| NewUser {
                        name: format!("User {i}"),
                        hair_color: Some(HAIR),
                    })
                    .collect();
                let inserted = diesel::insert_into(users::table)
                    .values(&rows)
                    .execute(&mut self.diesel)
                    .await
                    .unwrap();
                inserted as u64
            }
        };
        usize::try_from(inserted).unwrap_or(usize::MAX)
    }

    /// W4: users → posts → comments with three queries, grouped in memory.
    /// Returns the number of comments loaded.
    pub async fn w4(&mut self, peer: AsyncPeer) -> usize {
        fn count<U, P, C>(tree: &crate::Tree<U, P, C>) -> usize {
            tree.iter()
                .flat_map(|(_, posts)| posts.iter().map(|(_, c)| c.len()))
                .sum()
        }
        match peer {
            AsyncPeer::TokioPostgres => {
                let client = &self.tokio;
                let st = &self.tokio_statements;
                let users: Vec<User> = client
                    .query(&st.all_users, &[])
                    .await
                    .unwrap()
                    .iter()
                    .map(user)
                    .collect();
                let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
                let posts: Vec<Post> = client
                    .query(&st.posts_of_users, &[&ids])
                    .await
                    .unwrap()
                    .iter()
                    .map(post)
                    .collect();
                let ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
                let comments: Vec<Comment> = client
                    .query(&st.comments_of_posts, &[&ids])
                    .await
                    .unwrap()
                    .iter()
                    .map(comment)
                    .collect();
                let tree = crate::group(
                    users,
                    posts,
                    comments,
                    |u| u.id,
                    |p| p.id,
                    |p| p.user_id,
                    |c| c.post_id,
                );
                count(&black_box(tree))
            }
            AsyncPeer::Ours | AsyncPeer::OursTransaction => {
                let db = self.ours_db(peer);
                let users = g_users::Table.select().fetch_all(db).await.unwrap();
                let posts = g_posts::Table
                    .select()
                    .filter(g_posts::user_id.is_in(users.iter().map(|u| u.id)))
                    .fetch_all(db)
                    .await
                    .unwrap();
                let comments = g_comments::Table
                    .select()
                    .filter(g_comments::post_id.is_in(posts.iter().map(|p| p.id)))
                    .fetch_all(db)
                    .await
                    .unwrap();
                let tree = crate::group(
                    users,
                    posts,
                    comments,
                    |u| u.id,
                    |p| p.id,
                    |p| p.user_id,
                    |c| c.post_id,
                );
                count(&black_box(tree))
            }
            AsyncPeer::Sqlx | AsyncPeer::SqlxPool => {
                let users = on_sqlx!(self, peer, |e| sqlx::query_as::<_, User>(sql::ALL_USERS)
                    .fetch_all(e)
                    .await)
                .unwrap();
                let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
                let posts = on_sqlx!(self, peer, |e| sqlx::query_as::<_, Post>(
                    sql::POSTS_OF_USERS
                )
                .bind(&ids)
                .fetch_all(e)
                .await)
                .unwrap();
                let ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
                let comments = on_sqlx!(self, peer, |e| sqlx::query_as::<_, Comment>(
                    sql::COMMENTS_OF_POSTS
                )
                .bind(&ids)
                .fetch_all(e)
                .await)
                .unwrap();
                let tree = crate::group(
                    users,
                    posts,
                    comments,
                    |u| u.id,
                    |p| p.id,
                    |p| p.user_id,
                    |c| c.post_id,
                );
                count(&black_box(tree))
            }
            AsyncPeer::DieselAsync => {
                use crate::schema::users;
                use diesel::{BelongingToDsl as _, GroupedBy as _};
                use diesel_async::RunQueryDsl as _;
                let conn = &mut self.diesel;
                let users = users::table.load::<User>(conn).await.unwrap();
                let posts = Post::belonging_to(&users).load::<Post>(conn).await.unwrap();
                let comments = Comment::belonging_to(&posts)
                    .load::<Comment>(conn)
                    .await
                    .unwrap();
                let comments = comments.grouped_by(&posts);
                let posts_and_comments = posts.into_iter().zip(comments).grouped_by(&users);
                let tree: crate::Tree<User, Post, Comment> =
                    users.into_iter().zip(posts_and_comments).collect();
                count(&black_box(tree))
            }
        }
    }

    /// W5: one user by primary key, a random id.
    pub async fn w5(&mut self, peer: AsyncPeer) -> usize {
        let id = self.rng.id(POINT_USERS);
        let found = match peer {
            AsyncPeer::TokioPostgres => user(
                &self
                    .tokio
                    .query_one(&self.tokio_statements.user_by_id, &[&id])
                    .await
                    .unwrap(),
            ),
            AsyncPeer::Ours | AsyncPeer::OursTransaction => {
                let u = g_users::Table
                    .find(id)
                    .fetch_one(self.ours_db(peer))
                    .await
                    .unwrap();
                return usize::from(black_box(u).id == id);
            }
            AsyncPeer::Sqlx | AsyncPeer::SqlxPool => {
                on_sqlx!(self, peer, |e| sqlx::query_as::<_, User>(sql::USER_BY_ID)
                    .bind(id)
                    .fetch_one(e)
                    .await)
                .unwrap()
            }
            AsyncPeer::DieselAsync => {
                use crate::schema::users;
                use diesel::QueryDsl as _;
                use diesel_async::RunQueryDsl as _;
                users::table
                    .find(id)
                    .first::<User>(&mut self.diesel)
                    .await
                    .unwrap()
            }
        };
        usize::from(black_box(found).id == id)
    }

    /// W6: update one user by primary key, a random id.
    pub async fn w6(&mut self, peer: AsyncPeer) -> usize {
        let id = self.rng.id(POINT_USERS);
        let hair = if id % 2 == 0 { "black" } else { "brown" };
        let updated = match peer {
            AsyncPeer::TokioPostgres => self
                .tokio
                .execute(&self.tokio_statements.update_user, &[&hair, &id])
                .await
                .unwrap(),
            AsyncPeer::Ours | AsyncPeer::OursTransaction => g_users::Table
                .update_by_key(id)
                .set(g_users::hair_color, hair)
                .execute(self.ours_db(peer))
                .await
                .unwrap(),
            AsyncPeer::Sqlx | AsyncPeer::SqlxPool => {
                on_sqlx!(self, peer, |e| sqlx::query(sql::UPDATE_USER)
                    .bind(hair)
                    .bind(id)
                    .execute(e)
                    .await)
                .unwrap()
                .rows_affected()
            }
            AsyncPeer::DieselAsync => {
                use crate::schema::users;
                use diesel::{ExpressionMethods as _, QueryDsl as _};
                use diesel_async::RunQueryDsl as _;
                diesel::update(users::table.find(id))
                    .set(users::hair_color.eq(hair))
                    .execute(&mut self.diesel)
                    .await
                    .unwrap() as u64
            }
        };
        usize::try_from(updated).unwrap_or(0)
    }

    /// W7: two filters, an order and a limit of 20.
    pub async fn w7(&mut self, peer: AsyncPeer) -> usize {
        let after = self.rng.id(POINT_USERS - 100);
        let color = "black";
        let limit: i64 = 20;
        match peer {
            AsyncPeer::TokioPostgres => {
                let rows = self
                    .tokio
                    .query(&self.tokio_statements.users_page, &[&color, &after, &limit])
                    .await
                    .unwrap();
                let users: Vec<User> = rows.iter().map(user).collect();
                black_box(users).len()
            }
            AsyncPeer::Ours | AsyncPeer::OursTransaction => {
                let users = w7_query(after).fetch_all(self.ours_db(peer)).await.unwrap();
                black_box(users).len()
            }
            AsyncPeer::Sqlx | AsyncPeer::SqlxPool => {
                let users = on_sqlx!(self, peer, |e| sqlx::query_as::<_, User>(sql::USERS_PAGE)
                    .bind(color)
                    .bind(after)
                    .bind(limit)
                    .fetch_all(e)
                    .await)
                .unwrap();
                black_box(users).len()
            }
            AsyncPeer::DieselAsync => {
                use diesel_async::RunQueryDsl as _;
                let users = w7_diesel!(after)
                    .load::<User>(&mut self.diesel)
                    .await
                    .unwrap();
                black_box(users).len()
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Throughput: W5 from many tasks over a pool.

/// How many W5 queries one iteration of the throughput benchmark runs,
/// split evenly over its tasks.
pub const THROUGHPUT_BATCH: usize = 1024;

/// The concurrent tasks of the throughput benchmark.
pub const TASKS: [usize; 3] = [1, 16, 64];

/// One W5 query over pool `peer`: a connection taken for the query and
/// given back. 1 when it found the user.
pub async fn w5_pooled(pools: &Pools, peer: PoolPeer, id: i32) -> usize {
    let found = match peer {
        PoolPeer::Ours | PoolPeer::OursNoWaitTimeout => {
            let db = if peer == PoolPeer::Ours {
                &pools.ours
            } else {
                &pools.ours_no_wait_timeout
            };
            let u = g_users::Table.find(id).fetch_one(db).await.unwrap();
            return usize::from(black_box(u).id == id);
        }
        PoolPeer::SqlxPool | PoolPeer::SqlxPoolUntested => {
            let pool = if peer == PoolPeer::SqlxPool {
                &pools.sqlx
            } else {
                &pools.sqlx_untested
            };
            sqlx::query_as::<_, User>(sql::USER_BY_ID)
                .bind(id)
                .fetch_one(pool)
                .await
                .unwrap()
        }
        PoolPeer::Deadpool => {
            let client = pools.deadpool.get().await.unwrap();
            let statement = client.prepare_cached(sql::USER_BY_ID).await.unwrap();
            user(&client.query_one(&statement, &[&id]).await.unwrap())
        }
        PoolPeer::Bb8 | PoolPeer::Bb8Untested => {
            let pool = if peer == PoolPeer::Bb8 {
                &pools.bb8
            } else {
                &pools.bb8_untested
            };
            let conn = pool.get().await.unwrap();
            user(
                &conn
                    .client
                    .query_one(&conn.user_by_id, &[&id])
                    .await
                    .unwrap(),
            )
        }
    };
    usize::from(black_box(found).id == id)
}

/// [`THROUGHPUT_BATCH`] W5 queries over pool `peer`, from `tasks` tasks
/// spawned on the current runtime, each running its share one after the
/// other with ids of its own (seeded by `seed` and its number, so every
/// pool gets the same ids). How many users were found.
pub async fn w5_burst(pools: &Pools, peer: PoolPeer, tasks: usize, seed: u64) -> usize {
    let per_task = THROUGHPUT_BATCH / tasks;
    let handles: Vec<_> = (0..tasks)
        .map(|t| {
            let pools = pools.clone();
            let mut rng = Rng::new(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (t as u64 + 1));
            tokio::spawn(async move {
                let mut found = 0;
                for _ in 0..per_task {
                    found += w5_pooled(&pools, peer, rng.id(POINT_USERS)).await;
                }
                found
            })
        })
        .collect();
    let mut found = 0;
    for handle in handles {
        found += handle.await.expect("a W5 task");
    }
    found
}

/// [`THROUGHPUT_BATCH`] checkouts and returns of a connection, no query,
/// from `tasks` tasks: the pool's own cost (deadpool-postgres and bb8 only;
/// pg-sections' checkout is not public, sqlx's pings by default).
pub async fn checkout_burst(pools: &Pools, peer: PoolPeer, tasks: usize) -> usize {
    let per_task = THROUGHPUT_BATCH / tasks;
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let pools = pools.clone();
            tokio::spawn(async move {
                for _ in 0..per_task {
                    match peer {
                        PoolPeer::Deadpool => drop(black_box(pools.deadpool.get().await.unwrap())),
                        PoolPeer::Bb8 => drop(black_box(pools.bb8.get().await.unwrap())),
                        PoolPeer::Bb8Untested => {
                            drop(black_box(pools.bb8_untested.get().await.unwrap()));
                        }
                        PoolPeer::Ours
                        | PoolPeer::OursNoWaitTimeout
                        | PoolPeer::SqlxPool
                        | PoolPeer::SqlxPoolUntested => {
                            unreachable!("no checkout benchmark for {}", peer.name())
                        }
                    }
                }
                per_task
            })
        })
        .collect();
    let mut done = 0;
    for handle in handles {
        done += handle.await.expect("a checkout task");
    }
    done
}

// ---------------------------------------------------------------------------
// Pipelining: independent W5 queries in one transaction.

/// How many independent W5 queries the pipelining benchmark issues at once.
pub const PIPELINE_DEPTH: usize = 8;

/// One way of running [`PIPELINE_DEPTH`] W5 queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pipeline {
    /// tokio-postgres, one client, in `client.transaction()`, awaited one
    /// after the other.
    TokioSequential,
    /// The same, issued together (`join_all`): tokio-postgres pipelines them.
    TokioJoined,
    /// pg-sections, `pool.transaction(…)`, awaited one after the other.
    OursTxSequential,
    /// pg-sections, `pool.transaction(…)`, issued together on `tx.db()`.
    OursTxJoined,
    /// pg-sections, on the pool's handle (no transaction), issued
    /// together: each takes a connection of its own.
    OursPoolJoined,
    /// diesel-async, `conn.transaction(…)`, awaited one after the other.
    DieselSequential,
    /// diesel-async, `conn.transaction(…)`, issued together on `&conn`
    /// (its documented pipelining).
    DieselJoined,
}

impl Pipeline {
    pub const ALL: [Pipeline; 7] = [
        Pipeline::TokioSequential,
        Pipeline::TokioJoined,
        Pipeline::OursTxSequential,
        Pipeline::OursTxJoined,
        Pipeline::OursPoolJoined,
        Pipeline::DieselSequential,
        Pipeline::DieselJoined,
    ];

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Pipeline::TokioSequential => "tokio_postgres_sequential",
            Pipeline::TokioJoined => "tokio_postgres_joined",
            Pipeline::OursTxSequential => "pg_sections_tx_sequential",
            Pipeline::OursTxJoined => "pg_sections_tx_joined",
            Pipeline::OursPoolJoined => "pg_sections_pool_joined",
            Pipeline::DieselSequential => "diesel_async_sequential",
            Pipeline::DieselJoined => "diesel_async_joined",
        }
    }
}

impl AsyncPeers {
    /// [`PIPELINE_DEPTH`] W5 queries with random ids, run as `how` says.
    /// How many users were found.
    pub async fn pipeline(&mut self, how: Pipeline) -> usize {
        let ids: Vec<i32> = (0..PIPELINE_DEPTH)
            .map(|_| self.rng.id(POINT_USERS))
            .collect();
        let found = |users: &[(i32, i32)]| users.iter().filter(|(id, want)| id == want).count();
        match how {
            Pipeline::TokioSequential | Pipeline::TokioJoined => {
                let statement = self.tokio_statements.user_by_id.clone();
                let tx = self.tokio.transaction().await.unwrap();
                let users: Vec<(i32, i32)> = if how == Pipeline::TokioJoined {
                    join_all(ids.iter().map(async |id| {
                        let u = user(&tx.query_one(&statement, &[id]).await.unwrap());
                        (black_box(u).id, *id)
                    }))
                    .await
                } else {
                    let mut users = Vec::with_capacity(ids.len());
                    for id in &ids {
                        let u = user(&tx.query_one(&statement, &[id]).await.unwrap());
                        users.push((black_box(u).id, *id));
                    }
                    users
                };
                tx.commit().await.unwrap();
                found(&users)
            }
            Pipeline::OursTxSequential | Pipeline::OursTxJoined => {
                let joined = how == Pipeline::OursTxJoined;
                let users = self
                    .pool
                    .transaction(async |tx| {
                        let db = tx.db::<g::Bench>();
                        let queries: Vec<_> =
                            ids.iter().map(|&id| g_users::Table.find(id)).collect();
                        let users: Vec<(i32, i32)> = if joined {
                            join_all(queries.iter().zip(&ids).map(async |(query, id)| {
                                let u = query.fetch_one(&db).await.unwrap();
                                (black_box(u).id, *id)
                            }))
                            .await
                        } else {
                            let mut users = Vec::with_capacity(ids.len());
                            for (query, id) in queries.iter().zip(&ids) {
                                let u = query.fetch_one(&db).await.unwrap();
                                users.push((black_box(u).id, *id));
                            }
                            users
                        };
                        Ok::<_, pg_sections::Error>(users)
                    })
                    .await
                    .unwrap();
                found(&users)
            }
            Pipeline::OursPoolJoined => {
                let db = &self.ours;
                let queries: Vec<_> = ids.iter().map(|&id| g_users::Table.find(id)).collect();
                let users = join_all(queries.iter().zip(&ids).map(async |(query, id)| {
                    let u = query.fetch_one(db).await.unwrap();
                    (black_box(u).id, *id)
                }))
                .await;
                found(&users)
            }
            Pipeline::DieselSequential | Pipeline::DieselJoined => {
                use crate::schema::users;
                use diesel::QueryDsl as _;
                use diesel_async::AsyncConnection as _;
                use diesel_async::RunQueryDsl as _;
                let joined = how == Pipeline::DieselJoined;
                let ids = &ids;
                let users = self
                    .diesel
                    .transaction(async move |conn| {
                        let users: Vec<(i32, i32)> = if joined {
                            let conn: &diesel_async::AsyncPgConnection = conn;
                            join_all(ids.iter().map(|&id| {
                                let load = users::table.find(id).first::<User>(&mut &*conn);
                                async move { (black_box(load.await.unwrap()).id, id) }
                            }))
                            .await
                        } else {
                            let mut users = Vec::with_capacity(ids.len());
                            for &id in ids {
                                let u = users::table.find(id).first::<User>(conn).await?;
                                users.push((black_box(u).id, id));
                            }
                            users
                        };
                        Ok::<_, diesel::result::Error>(users)
                    })
                    .await
                    .unwrap();
                found(&users)
            }
        }
    }
}
