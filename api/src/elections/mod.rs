//! The procedures around people (Law on Grassroots Mediation, Joint Resolution
//! 01/2014): the commune chairman's decision on how many teams a village has and how many members
//! each; the election of mediators by the household representatives (more than half) and of the
//! team leader by the team (more than half, and the most votes), with the counts and the minutes;
//! the chairman's recognition within 5 working days, with an overdue flag.

pub mod dto;
pub mod routes;
pub mod rules;
pub mod store;
