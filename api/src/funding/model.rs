use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{budgets, confirmation_lists, disbursements, funding_policies, incident_claims};

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = funding_policies, treat_none_as_null = true)]
pub struct Policy {
    pub id: String,
    pub unit_id: String,
    pub unit_path: String,
    pub legal_basis: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub item: String,
    pub rate: i64,
    pub rate_unit: String,
    pub outcome: Option<String>,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = budgets, treat_none_as_null = true)]
pub struct Budget {
    pub id: String,
    pub unit_id: String,
    pub unit_path: String,
    pub year: i32,
    pub item: String,
    pub amount: i64,
    pub decision_no: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = disbursements, treat_none_as_null = true)]
pub struct Disbursement {
    pub id: String,
    pub unit_id: String,
    pub unit_path: String,
    pub paid_on: NaiveDate,
    pub paid_year: i32,
    pub item: String,
    pub payee_team_id: Option<String>,
    pub payee_mediator_id: Option<String>,
    pub team_id: Option<String>,
    pub amount: i64,
    pub voucher_no: Option<String>,
    pub note: Option<String>,
    pub confirmation_list_id: Option<String>,
    pub created_by: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = confirmation_lists, treat_none_as_null = true)]
pub struct ConfirmationList {
    pub id: String,
    pub unit_id: String,
    pub unit_path: String,
    pub title: String,
    pub made_on: NaiveDate,
    pub signed_returned: bool,
    pub returned_on: Option<NaiveDate>,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = incident_claims, treat_none_as_null = true)]
pub struct IncidentClaim {
    pub id: String,
    pub mediator_id: String,
    pub unit_path: String,
    pub occurred_on: NaiveDate,
    pub case_id: Option<String>,
    pub session_id: Option<String>,
    pub kind: String,
    pub description: String,
    pub medical_costs: i64,
    pub lost_income: i64,
    pub funeral_costs: i64,
    pub status: String,
    pub approved_amount: Option<i64>,
    pub decision_no: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
