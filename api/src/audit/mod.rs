//! The append-only audit log: one row per write (and per read of sensitive details), written in
//! the same transaction as the change it records.

pub mod dto;
pub mod routes;
pub mod store;
