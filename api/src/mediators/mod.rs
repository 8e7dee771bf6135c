//! Mediators (hòa giải viên): the person, and their membership history in teams.

pub mod dto;
pub mod model;
pub mod routes;
pub mod rules;
pub mod store;
