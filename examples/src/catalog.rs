//! Section `core`: the repositories of the shared catalogue of
//! manufacturers, models and parts.
//!
//! Other sections refer to these rows by their `public_id` only.

use pg_sections::Db;
use pg_sections::uuid::Uuid;
use pg_sections::{Page, Result, Table, section};

use crate::contains_pattern;
use crate::db::core::{
    Core, Manufacturer, Model, NewManufacturer, NewModel, NewPart, Part, manufacturer, model, part,
};

/// Manufacturers: the companies whose machines the parts fit.
#[section("core")]
#[derive(Debug, Clone)]
pub struct ManufacturerRepository {
    db: Db<Core>,
}

#[section("core")]
impl ManufacturerRepository {
    /// A repository on `db`.
    #[must_use]
    pub fn new(db: Db<Core>) -> Self {
        Self { db }
    }

    /// The manufacturer with this public id.
    ///
    /// # Errors
    /// The database's error.
    pub async fn find_by_public_id(&self, id: Uuid) -> Result<Option<Manufacturer>> {
        manufacturer::Table
            .select()
            .filter(manufacturer::public_id.eq(id))
            .fetch_optional(&self.db)
            .await
    }

    /// The manufacturers with these ids, in one query.
    ///
    /// # Errors
    /// The database's error.
    pub async fn by_ids(&self, ids: impl IntoIterator<Item = i32>) -> Result<Vec<Manufacturer>> {
        manufacturer::Table
            .select()
            .filter(manufacturer::id.is_in(ids))
            .fetch_all(&self.db)
            .await
    }

    /// A page of manufacturers by name, optionally only those whose name
    /// contains `name` (case-insensitive).
    ///
    /// # Errors
    /// The database's error.
    pub async fn list(
        &self,
        name: Option<&str>,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Manufacturer>> {
        let mut query = manufacturer::Table.select();
        if let Some(name) = name {
            query = query.filter(manufacturer::name.ilike(contains_pattern(name)));
        }
        query
            .order_by(manufacturer::name.asc())
            .order_by(manufacturer::id.asc())
            .paginate(&self.db, page, per_page)
            .await
    }

    /// Adds a manufacturer.
    ///
    /// # Errors
    /// The database's error (a name already taken is a unique violation).
    pub async fn create(&self, new: NewManufacturer) -> Result<Manufacturer> {
        manufacturer::Table
            .insert(new)
            .returning()
            .fetch_one(&self.db)
            .await
    }

    /// Deletes the manufacturer with this public id; whether there was one.
    ///
    /// # Errors
    /// The database's error (a manufacturer that still has models is a
    /// foreign key violation).
    pub async fn delete(&self, id: Uuid) -> Result<bool> {
        let deleted = manufacturer::Table
            .delete()
            .filter(manufacturer::public_id.eq(id))
            .execute(&self.db)
            .await?;
        Ok(deleted > 0)
    }
}

/// Models: the machines of a manufacturer.
#[section("core")]
#[derive(Debug, Clone)]
pub struct ModelRepository {
    db: Db<Core>,
}

#[section("core")]
impl ModelRepository {
    /// A repository on `db`.
    #[must_use]
    pub fn new(db: Db<Core>) -> Self {
        Self { db }
    }

    /// The model with this public id.
    ///
    /// # Errors
    /// The database's error.
    pub async fn find_by_public_id(&self, id: Uuid) -> Result<Option<Model>> {
        model::Table
            .select()
            .filter(model::public_id.eq(id))
            .fetch_optional(&self.db)
            .await
    }

    /// A page of models with their manufacturer (a join inside the
    /// section), ordered by name, optionally of one manufacturer only.
    ///
    /// # Errors
    /// The database's error.
    pub async fn list(
        &self,
        manufacturer_id: Option<i32>,
        page: u32,
        per_page: u32,
    ) -> Result<Page<(Model, Manufacturer)>> {
        let mut query = model::Table.select().inner_join(manufacturer::Table);
        if let Some(id) = manufacturer_id {
            query = query.filter(model::manufacturer_id.eq(id));
        }
        query
            .order_by(model::name.asc())
            .order_by(model::id.asc())
            .paginate(&self.db, page, per_page)
            .await
    }

    /// Adds a model.
    ///
    /// # Errors
    /// The database's error.
    pub async fn create(&self, new: NewModel) -> Result<Model> {
        model::Table
            .insert(new)
            .returning()
            .fetch_one(&self.db)
            .await
    }

    /// Deletes the model with this public id, and its parts; whether there
    /// was one.
    ///
    /// # Errors
    /// The database's error.
    pub async fn delete(&self, id: Uuid) -> Result<bool> {
        let deleted = model::Table
            .delete()
            .filter(model::public_id.eq(id))
            .execute(&self.db)
            .await?;
        Ok(deleted > 0)
    }
}

/// Which parts [`PartRepository::list`] returns.
#[derive(Debug, Clone, Default)]
pub struct PartFilter {
    /// Only parts of this model.
    pub model_id: Option<i32>,
    /// Only parts whose name contains this text (case-insensitive).
    pub name: Option<String>,
    /// Also discontinued parts.
    pub include_discontinued: bool,
}

/// Parts: what vendors stock and customers buy.
#[section("core")]
#[derive(Debug, Clone)]
pub struct PartRepository {
    db: Db<Core>,
}

#[section("core")]
impl PartRepository {
    /// A repository on `db`.
    #[must_use]
    pub fn new(db: Db<Core>) -> Self {
        Self { db }
    }

    /// The part with this public id.
    ///
    /// # Errors
    /// The database's error.
    pub async fn find_by_public_id(&self, id: Uuid) -> Result<Option<Part>> {
        part::Table
            .select()
            .filter(part::public_id.eq(id))
            .fetch_optional(&self.db)
            .await
    }

    /// The parts with these public ids and their models, in one query
    /// (`= ANY($1)` and a join inside the section). Ids that match no part
    /// are left out.
    ///
    /// # Errors
    /// The database's error.
    pub async fn with_models(
        &self,
        ids: impl IntoIterator<Item = Uuid>,
    ) -> Result<Vec<(Part, Model)>> {
        part::Table
            .select()
            .inner_join(model::Table)
            .filter(part::public_id.is_in(ids))
            .fetch_all(&self.db)
            .await
    }

    /// A page of parts by part number.
    ///
    /// # Errors
    /// The database's error.
    pub async fn list(&self, filter: &PartFilter, page: u32, per_page: u32) -> Result<Page<Part>> {
        let mut query = part::Table.select();
        if let Some(id) = filter.model_id {
            query = query.filter(part::model_id.eq(id));
        }
        if let Some(name) = &filter.name {
            query = query.filter(part::name.ilike(contains_pattern(name)));
        }
        if !filter.include_discontinued {
            query = query.filter(part::discontinued.eq(false));
        }
        query
            .order_by(part::part_number.asc())
            .order_by(part::id.asc())
            .paginate(&self.db, page, per_page)
            .await
    }

    /// Adds a part.
    ///
    /// # Errors
    /// The database's error (a part number taken within the model is a
    /// unique violation).
    pub async fn create(&self, new: NewPart) -> Result<Part> {
        part::Table
            .insert(new)
            .returning()
            .fetch_one(&self.db)
            .await
    }

    /// Marks the part discontinued, superseded by `replaced_by` when given;
    /// the updated part, if there is one with this public id.
    ///
    /// # Errors
    /// The database's error.
    pub async fn discontinue(&self, id: Uuid, replaced_by: Option<i64>) -> Result<Option<Part>> {
        let mut update = part::Table
            .update()
            .set(part::discontinued, true)
            .set(part::updated_at, pg_sections::chrono::Utc::now());
        update = match replaced_by {
            Some(replacement) => update.set(part::replaced_by_id, replacement),
            None => update.set_null(part::replaced_by_id),
        };
        update
            .filter(part::public_id.eq(id))
            .returning()
            .fetch_optional(&self.db)
            .await
    }

    /// Deletes the part with this public id; whether there was one.
    ///
    /// Vendors' stock of it is not touched: no foreign key crosses sections,
    /// so their listings show it as an unknown part.
    ///
    /// # Errors
    /// The database's error.
    pub async fn delete(&self, id: Uuid) -> Result<bool> {
        let deleted = part::Table
            .delete()
            .filter(part::public_id.eq(id))
            .execute(&self.db)
            .await?;
        Ok(deleted > 0)
    }
}
