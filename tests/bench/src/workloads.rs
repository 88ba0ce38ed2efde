//! The workloads, once per peer. Each returns how many rows it read or
//! wrote, so the harness can check that every peer did the same work.

use std::hint::black_box;

use pg_sections::Table as _;
use postgres::types::ToSql;

use crate::db::bench::{self as g, comments as g_comments, posts as g_posts, users as g_users};
use crate::model::{Comment, NewUser, Post, User};
use crate::peers::{Peer, Peers, sql};

/// How many users W5, W6 and W7 pick their random ids among.
pub const POINT_USERS: i32 = 10_000;

pub(crate) fn user(r: &postgres::Row) -> User {
    User {
        id: r.get(0),
        name: r.get(1),
        hair_color: r.get(2),
    }
}

pub(crate) fn post(r: &postgres::Row) -> Post {
    Post {
        id: r.get(0),
        user_id: r.get(1),
        title: r.get(2),
        body: r.get(3),
    }
}

pub(crate) fn comment(r: &postgres::Row) -> Comment {
    Comment {
        id: r.get(0),
        post_id: r.get(1),
        text: r.get(2),
    }
}

pub(crate) fn user_and_post(r: &postgres::Row) -> (User, Option<Post>) {
    let post = r.get::<_, Option<i32>>(3).map(|id| Post {
        id,
        user_id: r.get(4),
        title: r.get(5),
        body: r.get(6),
    });
    (user(r), post)
}

/// sqlx's row for the left join: `FromRow` maps by column name.
#[derive(sqlx::FromRow)]
pub(crate) struct UserPostRow {
    id: i32,
    name: String,
    hair_color: Option<String>,
    post_id: Option<i32>,
    post_user_id: Option<i32>,
    post_title: Option<String>,
    post_body: Option<String>,
}

impl UserPostRow {
    pub(crate) fn split(self) -> (User, Option<Post>) {
        let post = match (self.post_id, self.post_user_id, self.post_title) {
            (Some(id), Some(user_id), Some(title)) => Some(Post {
                id,
                user_id,
                title,
                body: self.post_body,
            }),
            _ => None,
        };
        (
            User {
                id: self.id,
                name: self.name,
                hair_color: self.hair_color,
            },
            post,
        )
    }
}

/// The rows a W3 iteration inserts.
pub(crate) fn insert_names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("User {i}")).collect()
}

pub(crate) const HAIR: &str = "hair_color";

/// W7's query in Diesel (a macro: its type is long to spell).
macro_rules! w7_diesel {
    ($after:expr) => {{
        use crate::schema::users;
        use diesel::prelude::*;
        let limit: i64 = 20;
        users::table
            .filter(users::hair_color.eq("black"))
            .filter(users::id.gt($after))
            .order(users::id)
            .limit(limit)
    }};
}
pub(crate) use w7_diesel;

impl Peers {
    /// W1: every user (the suite's `bench_trivial_query`).
    pub fn w1(&mut self, peer: Peer) -> usize {
        match peer {
            Peer::RawPrepared => {
                let rows = self.raw.query(&self.raw_statements.all_users, &[]).unwrap();
                let users: Vec<User> = rows.iter().map(user).collect();
                black_box(users).len()
            }
            Peer::RawUnprepared => {
                let rows = self.unprepared.query(sql::ALL_USERS, &[]).unwrap();
                let users: Vec<User> = rows.iter().map(user).collect();
                black_box(users).len()
            }
            Peer::Ours => {
                let users = g_users::Table.select().fetch_all(&self.ours).unwrap();
                black_box(users).len()
            }
            Peer::Diesel => {
                use crate::schema::users;
                use diesel::prelude::*;
                let users = users::table.load::<User>(&mut self.diesel).unwrap();
                black_box(users).len()
            }
            Peer::Sqlx => {
                let users = self
                    .rt
                    .block_on(sqlx::query_as::<_, User>(sql::ALL_USERS).fetch_all(&mut self.sqlx))
                    .unwrap();
                black_box(users).len()
            }
            Peer::TokioPostgres => {
                let rows = self
                    .rt
                    .block_on(self.tokio.query(&self.tokio_statements.all_users, &[]))
                    .unwrap();
                let users: Vec<User> = rows.iter().map(user).collect();
                black_box(users).len()
            }
        }
    }

    /// W2: users with hair colour `black`, left-joined to their posts (the
    /// suite's `bench_medium_complex_query`; posts is empty).
    pub fn w2(&mut self, peer: Peer) -> usize {
        let color = "black";
        match peer {
            Peer::RawPrepared => {
                let rows = self
                    .raw
                    .query(&self.raw_statements.left_join, &[&color])
                    .unwrap();
                let pairs: Vec<(User, Option<Post>)> = rows.iter().map(user_and_post).collect();
                black_box(pairs).len()
            }
            Peer::RawUnprepared => {
                let rows = self
                    .unprepared
                    .query(sql::USERS_LEFT_JOIN_POSTS, &[&color])
                    .unwrap();
                let pairs: Vec<(User, Option<Post>)> = rows.iter().map(user_and_post).collect();
                black_box(pairs).len()
            }
            Peer::Ours => {
                let pairs = g_users::Table
                    .select()
                    .left_join(g_posts::Table)
                    .filter(g_users::hair_color.eq(color))
                    .fetch_all(&self.ours)
                    .unwrap();
                black_box(pairs).len()
            }
            Peer::Diesel => {
                use crate::schema::{posts, users};
                use diesel::prelude::*;
                let pairs = users::table
                    .left_join(posts::table)
                    .filter(users::hair_color.eq(color))
                    .load::<(User, Option<Post>)>(&mut self.diesel)
                    .unwrap();
                black_box(pairs).len()
            }
            Peer::Sqlx => {
                let rows = self
                    .rt
                    .block_on(
                        sqlx::query_as::<_, UserPostRow>(sql::USERS_LEFT_JOIN_POSTS_NAMED)
                            .bind(color)
                            .fetch_all(&mut self.sqlx),
                    )
                    .unwrap();
                let pairs: Vec<(User, Option<Post>)> =
                    rows.into_iter().map(UserPostRow::split).collect();
                black_box(pairs).len()
            }
            Peer::TokioPostgres => {
                let rows = self
                    .rt
                    .block_on(
                        self.tokio
                            .query(&self.tokio_statements.left_join, &[&color]),
                    )
                    .unwrap();
                let pairs: Vec<(User, Option<Post>)> = rows.iter().map(user_and_post).collect();
                black_box(pairs).len()
            }
        }
    }

    /// W3: one multi-row insert of `n` users (the suite's `bench_insert`).
    pub fn w3(&mut self, peer: Peer, n: usize) -> usize {
        let inserted = match peer {
            Peer::RawPrepared => {
                let names = insert_names(n);
                let mut params: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(2 * n);
                for name in &names {
                    params.push(name);
                    params.push(&HAIR);
                }
                let statement = &self
                    .raw_statements
                    .inserts
                    .iter()
                    .find(|(rows, _)| *rows == n)
                    .expect("a prepared insert of this size")
                    .1;
                self.raw.execute(statement, &params).unwrap()
            }
            Peer::RawUnprepared => {
                let names = insert_names(n);
                let mut params: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(2 * n);
                for name in &names {
                    params.push(name);
                    params.push(&HAIR);
                }
                self.unprepared
                    .execute(&sql::insert_users(n), &params)
                    .unwrap()
            }
            Peer::Ours => g_users::Table
                .insert_many((0..n).map(|i| g::NewUsers {
                    id: None,
                    name: format!("User {i}"),
                    hair_color: Some(HAIR.to_owned()),
                }))
                .execute(&self.ours)
                .unwrap(),
            Peer::Diesel => {
                use crate::schema::users;
                use diesel::prelude::*;
                let rows: Vec<NewUser<'_>> = (0..n)
                    .map(|i| NewUser {
                        name: format!("User {i}"),
                        hair_color: Some(HAIR),
                    })
                    .collect();
                let inserted = diesel::insert_into(users::table)
                    .values(&rows)
                    .execute(&mut self.diesel)
                    .unwrap();
                inserted as u64
            }
            Peer::Sqlx => {
                let mut builder: sqlx::QueryBuilder<'_, sqlx::Postgres> =
                    sqlx::QueryBuilder::new("INSERT INTO bench.users (name, hair_color) ");
                builder.push_values(0..n, |mut row, i| {
                    row.push_bind(format!("User {i}")).push_bind(HAIR);
                });
                self.rt
                    .block_on(builder.build().execute(&mut self.sqlx))
                    .unwrap()
                    .rows_affected()
            }
            Peer::TokioPostgres => {
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
                self.rt
                    .block_on(self.tokio.execute(statement, &params))
                    .unwrap()
            }
        };
        usize::try_from(inserted).unwrap_or(usize::MAX)
    }

    /// W4: users → posts → comments with three queries, grouped in memory
    /// (the suite's `bench_loading_associations_sequentially`). Returns the
    /// number of comments loaded.
    pub fn w4(&mut self, peer: Peer) -> usize {
        fn count<U, P, C>(tree: &crate::Tree<U, P, C>) -> usize {
            tree.iter()
                .flat_map(|(_, posts)| posts.iter().map(|(_, c)| c.len()))
                .sum()
        }
        match peer {
            Peer::RawPrepared => {
                let st = &self.raw_statements;
                let users: Vec<User> = self
                    .raw
                    .query(&st.all_users, &[])
                    .unwrap()
                    .iter()
                    .map(user)
                    .collect();
                let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
                let posts: Vec<Post> = self
                    .raw
                    .query(&st.posts_of_users, &[&ids])
                    .unwrap()
                    .iter()
                    .map(post)
                    .collect();
                let ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
                let comments: Vec<Comment> = self
                    .raw
                    .query(&st.comments_of_posts, &[&ids])
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
            Peer::RawUnprepared => {
                let users: Vec<User> = self
                    .unprepared
                    .query(sql::ALL_USERS, &[])
                    .unwrap()
                    .iter()
                    .map(user)
                    .collect();
                let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
                let posts: Vec<Post> = self
                    .unprepared
                    .query(sql::POSTS_OF_USERS, &[&ids])
                    .unwrap()
                    .iter()
                    .map(post)
                    .collect();
                let ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
                let comments: Vec<Comment> = self
                    .unprepared
                    .query(sql::COMMENTS_OF_POSTS, &[&ids])
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
            Peer::Ours => {
                let users = g_users::Table.select().fetch_all(&self.ours).unwrap();
                let posts = g_posts::Table
                    .select()
                    .filter(g_posts::user_id.is_in(users.iter().map(|u| u.id)))
                    .fetch_all(&self.ours)
                    .unwrap();
                let comments = g_comments::Table
                    .select()
                    .filter(g_comments::post_id.is_in(posts.iter().map(|p| p.id)))
                    .fetch_all(&self.ours)
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
            Peer::Diesel => {
                use crate::schema::users;
                use diesel::prelude::*;
                let conn = &mut self.diesel;
                let users = users::table.load::<User>(conn).unwrap();
                let posts = Post::belonging_to(&users).load::<Post>(conn).unwrap();
                let comments = Comment::belonging_to(&posts).load::<Comment>(conn).unwrap();
                let comments = comments.grouped_by(&posts);
                let posts_and_comments = posts.into_iter().zip(comments).grouped_by(&users);
                let tree: crate::Tree<User, Post, Comment> =
                    users.into_iter().zip(posts_and_comments).collect();
                count(&black_box(tree))
            }
            Peer::Sqlx => {
                let conn = &mut self.sqlx;
                let tree = self.rt.block_on(async {
                    let users = sqlx::query_as::<_, User>(sql::ALL_USERS)
                        .fetch_all(&mut *conn)
                        .await
                        .unwrap();
                    let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
                    let posts = sqlx::query_as::<_, Post>(sql::POSTS_OF_USERS)
                        .bind(&ids)
                        .fetch_all(&mut *conn)
                        .await
                        .unwrap();
                    let ids: Vec<i32> = posts.iter().map(|p| p.id).collect();
                    let comments = sqlx::query_as::<_, Comment>(sql::COMMENTS_OF_POSTS)
                        .bind(&ids)
                        .fetch_all(&mut *conn)
                        .await
                        .unwrap();
                    crate::group(
                        users,
                        posts,
                        comments,
                        |u| u.id,
                        |p| p.id,
                        |p| p.user_id,
                        |c| c.post_id,
                    )
                });
                count(&black_box(tree))
            }
            Peer::TokioPostgres => {
                let client = &self.tokio;
                let st = &self.tokio_statements;
                let tree = self.rt.block_on(async {
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
                    crate::group(
                        users,
                        posts,
                        comments,
                        |u| u.id,
                        |p| p.id,
                        |p| p.user_id,
                        |c| c.post_id,
                    )
                });
                count(&black_box(tree))
            }
        }
    }

    /// W5: one user by primary key, a random id.
    pub fn w5(&mut self, peer: Peer) -> usize {
        let id = self.rng.id(POINT_USERS);
        let found = match peer {
            Peer::RawPrepared => user(
                &self
                    .raw
                    .query_one(&self.raw_statements.user_by_id, &[&id])
                    .unwrap(),
            ),
            Peer::RawUnprepared => {
                user(&self.unprepared.query_one(sql::USER_BY_ID, &[&id]).unwrap())
            }
            Peer::Ours => {
                let u = g_users::Table.find(id).fetch_one(&self.ours).unwrap();
                return usize::from(black_box(u).id == id);
            }
            Peer::Diesel => {
                use crate::schema::users;
                use diesel::prelude::*;
                users::table
                    .find(id)
                    .first::<User>(&mut self.diesel)
                    .unwrap()
            }
            Peer::Sqlx => self
                .rt
                .block_on(
                    sqlx::query_as::<_, User>(sql::USER_BY_ID)
                        .bind(id)
                        .fetch_one(&mut self.sqlx),
                )
                .unwrap(),
            Peer::TokioPostgres => user(
                &self
                    .rt
                    .block_on(
                        self.tokio
                            .query_one(&self.tokio_statements.user_by_id, &[&id]),
                    )
                    .unwrap(),
            ),
        };
        usize::from(black_box(found).id == id)
    }

    /// W6: update one user by primary key, a random id.
    pub fn w6(&mut self, peer: Peer) -> usize {
        let id = self.rng.id(POINT_USERS);
        let hair = if id % 2 == 0 { "black" } else { "brown" };
        let updated = match peer {
            Peer::RawPrepared => self
                .raw
                .execute(&self.raw_statements.update_user, &[&hair, &id])
                .unwrap(),
            Peer::RawUnprepared => self
                .unprepared
                .execute(sql::UPDATE_USER, &[&hair, &id])
                .unwrap(),
            Peer::Ours => g_users::Table
                .update_by_key(id)
                .set(g_users::hair_color, hair)
                .execute(&self.ours)
                .unwrap(),
            Peer::Diesel => {
                use crate::schema::users;
                use diesel::prelude::*;
                diesel::update(users::table.find(id))
                    .set(users::hair_color.eq(hair))
                    .execute(&mut self.diesel)
                    .unwrap() as u64
            }
            Peer::Sqlx => self
                .rt
                .block_on(
                    sqlx::query(sql::UPDATE_USER)
                        .bind(hair)
                        .bind(id)
                        .execute(&mut self.sqlx),
                )
                .unwrap()
                .rows_affected(),
            Peer::TokioPostgres => self
                .rt
                .block_on(
                    self.tokio
                        .execute(&self.tokio_statements.update_user, &[&hair, &id]),
                )
                .unwrap(),
        };
        usize::try_from(updated).unwrap_or(0)
    }

    /// W7: two filters, an order and a limit of 20.
    pub fn w7(&mut self, peer: Peer) -> usize {
        let after = self.rng.id(POINT_USERS - 100);
        let color = "black";
        let limit: i64 = 20;
        match peer {
            Peer::RawPrepared => {
                let rows = self
                    .raw
                    .query(&self.raw_statements.users_page, &[&color, &after, &limit])
                    .unwrap();
                let users: Vec<User> = rows.iter().map(user).collect();
                black_box(users).len()
            }
            Peer::RawUnprepared => {
                let rows = self
                    .unprepared
                    .query(sql::USERS_PAGE, &[&color, &after, &limit])
                    .unwrap();
                let users: Vec<User> = rows.iter().map(user).collect();
                black_box(users).len()
            }
            Peer::Ours => {
                let users = w7_query(after).fetch_all(&self.ours).unwrap();
                black_box(users).len()
            }
            Peer::Diesel => {
                use diesel::prelude::*;
                let users = w7_diesel!(after).load::<User>(&mut self.diesel).unwrap();
                black_box(users).len()
            }
            Peer::Sqlx => {
                let users = self
                    .rt
                    .block_on(
                        sqlx::query_as::<_, User>(sql::USERS_PAGE)
                            .bind(color)
                            .bind(after)
                            .bind(limit)
                            .fetch_all(&mut self.sqlx),
                    )
                    .unwrap();
                black_box(users).len()
            }
            Peer::TokioPostgres => {
                let rows = self
                    .rt
                    .block_on(
                        self.tokio
                            .query(&self.tokio_statements.users_page, &[&color, &after, &limit]),
                    )
                    .unwrap();
                let users: Vec<User> = rows.iter().map(user).collect();
                black_box(users).len()
            }
        }
    }
}

/// W7's query in pg-sections.
pub fn w7_query(after: i32) -> pg_sections::Select<g_users::Table> {
    g_users::Table
        .select()
        .filter(g_users::hair_color.eq("black"))
        .filter(g_users::id.gt(after))
        .order_by(g_users::id.asc())
        .limit(20)
}

/// W8: the SQL of W7, built with no database.
#[must_use]
pub fn w8_ours(after: i32) -> pg_sections::Sql {
    w7_query(after).to_sql()
}

/// W8 for Diesel, for context: the same query rendered by Diesel's query
/// builder.
#[must_use]
pub fn w8_diesel(after: i32) -> String {
    use diesel::pg::{Pg, PgQueryBuilder};
    use diesel::query_builder::{QueryBuilder as _, QueryFragment};
    let query = w7_diesel!(after);
    let mut out = PgQueryBuilder::default();
    QueryFragment::<Pg>::to_sql(&query, &mut out, &Pg).unwrap();
    out.finish()
}
