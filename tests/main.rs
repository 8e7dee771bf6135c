//! The integration tests: the real app over real HTTP on a fresh database per test — SQLite
//! always, and PostgreSQL too when `TEST_DATABASE_URL` names a server (CI sets it).

#[macro_use]
mod common;

mod architecture;
mod attachments;
mod auth;
mod authz_matrix;
mod backup;
mod bad_input;
mod cases;
mod control_chars;
mod crash;
mod documents;
mod elections;
mod funding;
mod http_semantics;
mod idempotency;
mod migrations;
mod official_units;
mod openapi;
mod ops;
mod otlp;
mod privacy;
mod review;
mod stats;
mod successors;
mod teams;
mod units;
mod users;
mod write_path;
