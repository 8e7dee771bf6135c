//! Data-subject rights (Personal Data Protection Law 91/2025/QH15 and Decree 356/2025/NĐ-CP, in
//! force 1 January 2026): the commune's register of requests from the people whose data it holds
//! — dispute parties and mediators — with the legal deadline and the outcome; everything held about
//! one person as JSON and as a page; and the pseudonymisation of closed cases after the retention
//! period the officer sets, keeping every figure the statistics count. Corrections go through the
//! records' own audited commands (`PATCH /cases/{id}`, `PATCH /mediators/{id}`). Only the justice
//! officer of the commune holding the record may do any of it; every step is audited.

pub mod dto;
pub mod render;
pub mod routes;
pub mod rules;
pub mod store;
