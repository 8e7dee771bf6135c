//! Accounts of people: role, scope unit, password. Admins manage everyone; an officer manages
//! the accounts inside their subtree and can never make an admin or reach outside it.

pub mod dto;
pub mod model;
pub mod routes;
pub mod rules;
pub mod store;
