//! Attachments: a photo or scan of a signed paper kept with the record it proves — the signed
//! written agreement (văn bản hòa giải thành) with its case, signed log-book pages with the
//! team's year, a signed confirmation list with the list. The seed plan lists these as the
//! evidence of the commune's work; until now they lived only on paper.
//!
//! The bytes are kept in the database (`attachment_contents`), apart from the description, so
//! that every server on one PostgreSQL sees the same files, a backup holds them, and a list reads
//! no bytes. Who may see one is who may see its owner.

pub mod dto;
pub mod routes;
pub mod rules;
pub mod store;

/// The path files are sent to: its body is a file, read with the attachment limit.
pub const UPLOAD_PATH: &str = "/api/v1/attachments";
