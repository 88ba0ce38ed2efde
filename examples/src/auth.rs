//! Section `auth`: the repositories of login accounts and their sessions.
//!
//! `auth.user_customer` is the one foreign key that crosses sections (to
//! `customer.customer_profile.id`); it is read here as a plain id.

use pg_sections::Db;
use pg_sections::chrono::{DateTime, Utc};
use pg_sections::uuid::Uuid;
use pg_sections::{Page, Result, Table, section};

use crate::contains_pattern;
use crate::db::auth::{
    Auth, NewSession, NewUser, NewUserCustomer, Session, User, session, user, user_customer,
};

/// Login accounts.
#[section("auth")]
#[derive(Debug, Clone)]
pub struct UserRepository {
    db: Db<Auth>,
}

#[section("auth")]
impl UserRepository {
    /// A repository on `db`.
    #[must_use]
    pub fn new(db: Db<Auth>) -> Self {
        Self { db }
    }

    /// The account with this id (accounts have no other public id).
    ///
    /// # Errors
    /// The database's error.
    pub async fn find(&self, id: Uuid) -> Result<Option<User>> {
        user::Table.find(id).fetch_optional(&self.db).await
    }

    /// The account with this email.
    ///
    /// # Errors
    /// The database's error.
    pub async fn find_by_email(&self, email: &str) -> Result<Option<User>> {
        user::Table
            .select()
            .filter(user::email.eq(email))
            .fetch_optional(&self.db)
            .await
    }

    /// A page of accounts by email, optionally only verified ones, or only
    /// those whose email contains `email` (case-insensitive).
    ///
    /// # Errors
    /// The database's error.
    pub async fn list(
        &self,
        email: Option<&str>,
        verified_only: bool,
        page: u32,
        per_page: u32,
    ) -> Result<Page<User>> {
        let mut query = user::Table.select();
        if let Some(email) = email {
            query = query.filter(user::email.ilike(contains_pattern(email)));
        }
        if verified_only {
            query = query.filter(user::email_verified.eq(true));
        }
        query
            .order_by(user::email.asc())
            .paginate(&self.db, page, per_page)
            .await
    }

    /// Adds an account.
    ///
    /// # Errors
    /// The database's error (an email already taken is a unique violation).
    pub async fn create(&self, new: NewUser) -> Result<User> {
        user::Table
            .insert(new)
            .returning()
            .fetch_one(&self.db)
            .await
    }

    /// Links an account to a customer profile (its `id` in the `customer`
    /// section); linking twice is not an error.
    ///
    /// # Errors
    /// The database's error (an unknown customer is a foreign key violation).
    pub async fn link_customer(&self, user_id: Uuid, customer_id: i32) -> Result<()> {
        user_customer::Table
            .insert(NewUserCustomer::new(user_id, customer_id))
            .on_conflict((user_customer::user_id, user_customer::customer_id))
            .do_nothing()
            .execute(&self.db)
            .await?;
        Ok(())
    }

    /// The ids of the customer profiles the account is linked to.
    ///
    /// # Errors
    /// The database's error.
    pub async fn customer_ids(&self, user_id: Uuid) -> Result<Vec<i32>> {
        let rows = user_customer::Table
            .select()
            .columns((user_customer::customer_id,))
            .filter(user_customer::user_id.eq(user_id))
            .order_by(user_customer::customer_id.asc())
            .fetch_all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Deletes the account, its sessions and links; whether there was one.
    ///
    /// # Errors
    /// The database's error.
    pub async fn delete(&self, id: Uuid) -> Result<bool> {
        Ok(user::Table.delete_by_key(id).execute(&self.db).await? > 0)
    }
}

/// Sessions of signed-in accounts.
#[section("auth")]
#[derive(Debug, Clone)]
pub struct SessionRepository {
    db: Db<Auth>,
}

#[section("auth")]
impl SessionRepository {
    /// A repository on `db`.
    #[must_use]
    pub fn new(db: Db<Auth>) -> Self {
        Self { db }
    }

    /// Opens a session under `token`, which the caller draws from a secure
    /// random source.
    ///
    /// # Errors
    /// The database's error.
    pub async fn create(
        &self,
        token: String,
        user_id: Uuid,
        expires_at: DateTime<Utc>,
        user_agent: Option<String>,
    ) -> Result<Session> {
        session::Table
            .insert(NewSession {
                user_agent,
                ..NewSession::new(token, user_id, expires_at)
            })
            .returning()
            .fetch_one(&self.db)
            .await
    }

    /// The session with this token, if it has not expired at `now`.
    ///
    /// # Errors
    /// The database's error.
    pub async fn find_active(&self, token: &str, now: DateTime<Utc>) -> Result<Option<Session>> {
        session::Table
            .find(token)
            .filter(session::expires_at.gt(now))
            .fetch_optional(&self.db)
            .await
    }

    /// A page of the account's sessions, newest first.
    ///
    /// # Errors
    /// The database's error.
    pub async fn for_user(&self, user_id: Uuid, page: u32, per_page: u32) -> Result<Page<Session>> {
        session::Table
            .select()
            .filter(session::user_id.eq(user_id))
            .order_by(session::created_at.desc())
            .paginate(&self.db, page, per_page)
            .await
    }

    /// Extends the session to `expires_at`; the updated session, if there
    /// is one with this token.
    ///
    /// # Errors
    /// The database's error.
    pub async fn extend(&self, token: &str, expires_at: DateTime<Utc>) -> Result<Option<Session>> {
        session::Table
            .update_by_key(token)
            .set(session::expires_at, expires_at)
            .returning()
            .fetch_optional(&self.db)
            .await
    }

    /// Ends the session with this token; whether there was one.
    ///
    /// # Errors
    /// The database's error.
    pub async fn delete(&self, token: &str) -> Result<bool> {
        Ok(session::Table
            .delete_by_key(token)
            .execute(&self.db)
            .await?
            > 0)
    }

    /// Deletes the sessions expired at `now`; how many.
    ///
    /// # Errors
    /// The database's error.
    pub async fn delete_expired(&self, now: DateTime<Utc>) -> Result<u64> {
        session::Table
            .delete()
            .filter(session::expires_at.le(now))
            .execute(&self.db)
            .await
    }
}
