use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::users;

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = users, treat_none_as_null = true)]
pub struct User {
    pub id: String,
    pub username: String,
    pub display_name: String,
    /// Username and display name folded for search.
    pub search_key: String,
    pub phone: Option<String>,
    pub role: String,
    pub unit_id: Option<String>,
    pub unit_path: Option<String>,
    pub password_hash: String,
    pub active: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub password_changed_at: NaiveDateTime,
    /// For team leaders and mediators: their mediator record.
    pub mediator_id: Option<String>,
}
