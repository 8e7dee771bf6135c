use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::api_clients;

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = api_clients)]
pub struct ApiClient {
    pub id: String,
    pub name: String,
    pub secret_hash: String,
    pub role: String,
    pub unit_id: Option<String>,
    pub unit_path: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}
