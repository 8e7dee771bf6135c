//! Reference data for clients: every enumeration code with its Vietnamese and English label.

pub mod routes;
