//! Mediation teams (tổ hòa giải): one or more per village, with their lineage and the law's
//! composition rules reported as warnings.

pub mod dto;
pub mod model;
pub mod routes;
pub mod rules;
pub mod store;
