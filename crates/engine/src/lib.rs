//! `playbook`: rules-driven live-commerce playbooks rendered to Markdown, JSON and PDF.
//!
//! The pipeline runs one way: a [`profile::Profile`] and [`playbook::Playbook`]s are loaded,
//! [`evaluate`] runs the playbooks' rules against the profile into a [`report::Report`] (plain
//! data), and [`render`] turns a report into Markdown, JSON or PDF bytes.
pub mod error;
pub mod profile;
pub mod suggest;

pub use error::{Error, Location, Result};
pub mod assess;
pub mod commands;
pub mod deck;
pub mod evaluate;
pub mod explain;
pub mod facts;
pub mod history;
pub mod import;
pub mod init;
pub mod library;
pub mod output;
pub mod playbook;
pub mod portfolio;
pub mod render;
pub mod report;
pub mod rules;
pub mod schema;
pub mod testing;
