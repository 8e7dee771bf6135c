//! Trainings (tập huấn, bồi dưỡng) of mediators and who attended: the "% of active mediators
//! trained in the year" indicator and the list of those still to train.

pub mod dto;
pub mod model;
pub mod routes;
pub mod store;
