//! Statistics for district and province systems and dashboards: indicators per unit and period,
//! read from per-unit, per-day counters that every case write keeps in its own transaction.

pub mod access;
pub mod cache;
pub mod counters;
pub mod dto;
pub mod figures;
pub mod reports;
pub mod roster;
pub mod routes;
pub mod store;
