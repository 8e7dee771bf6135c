//! The one way documents leave the service for people and spreadsheets: printable pages through
//! one template engine with automatic escaping (`html`), CSV files with the formula guard on
//! every cell (`csv`), and spreadsheets with a page set up to print (`xlsx`).

pub mod csv;
pub mod html;
pub mod xlsx;
