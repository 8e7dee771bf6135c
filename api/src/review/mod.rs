//! The year-end review (tổng kết): team ratings under a configurable scheme (Hà Nội's "Tổ hòa
//! giải 5 tốt" ships first), awards, the commune's plan targets, and the year-end report that
//! sets the plan's indicators beside its targets.

pub mod activity;
pub mod dto;
pub mod leader_report;
pub mod model;
pub mod render;
pub mod routes;
pub mod rules;
pub mod store;
pub mod year_end;
