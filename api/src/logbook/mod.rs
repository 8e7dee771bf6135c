//! The team's log book for a year: assembled from the cases (`store`), rendered as JSON, printable
//! HTML, CSV and XLSX (`render`).

pub mod dto;
pub mod render;
pub mod routes;
pub mod store;
