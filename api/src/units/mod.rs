//! Administrative units: the effective-dated tree (province › [district] › commune › village),
//! with the succession records of merges, splits, renames and transfers.

pub mod dto;
pub mod import;
pub mod model;
pub mod names;
pub mod official;
pub mod routes;
pub mod rules;
pub mod store;
pub mod validity;
