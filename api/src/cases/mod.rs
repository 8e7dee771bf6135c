//! Cases (vụ, việc hòa giải): the whole life of a dispute from intake to the follow-up of its
//! agreement — what the log book records. Status changes are commands checked against the state
//! machine in `rules`; personal data of the parties is shown only to those who need it.

pub mod copies;
pub mod documents;
pub mod dto;
pub mod model;
pub mod routes;
pub mod rules;
pub mod store;
