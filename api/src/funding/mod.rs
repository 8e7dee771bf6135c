//! Funding (kinh phí): the province's rates as dated policies, budget estimates, disbursements,
//! mediator fees per case (suggested from the cases, paid once), confirmation lists, the yearly
//! summary, and support for mediators injured or killed while mediating.

pub mod dto;
pub mod fees;
pub mod lists;
pub mod model;
pub mod routes;
pub mod rules;
pub mod store;
pub mod summary;
