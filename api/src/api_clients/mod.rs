//! Machine clients (district systems, dashboards): an id and a secret, exchanged for a
//! `stats` token by the OAuth2 client-credentials grant. The secret is shown once, stored hashed.

pub mod dto;
pub mod model;
pub mod routes;
pub mod store;
