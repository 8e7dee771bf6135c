//! hoagiai: the system of record for grassroots mediation (hòa giải ở cơ sở) in Vietnam.

pub mod api_clients;
pub mod app;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod cases;
pub mod cli;
pub mod client;
pub mod codes;
pub mod config;
pub mod db;
pub mod demo;
pub mod demo_cases;
pub mod error;
pub mod health;
pub mod http;
pub mod idempotency;
pub mod logbook;
pub mod mediators;
pub mod meta;
pub mod middleware;
pub mod openapi;
pub mod teams;
pub mod text;
pub mod units;
pub mod users;
