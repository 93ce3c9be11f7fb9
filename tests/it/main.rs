//! The integration tests, one crate: each module runs the real binary (or the library it
//! is a thin shell over) on real profiles.
//!
//! Rendered Markdown and JSON of every example brand are `insta` snapshots in
//! `tests/it/snapshots/`: after an intended change, `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test`, then read `git diff`).

mod common;

mod authoring;
mod batch;
mod cli;
mod coherence;
mod deck;
mod docs;
mod fields;
mod history;
mod init;
mod million_gmv_event;
mod playbook_props;
mod profile_props;
mod readiness;
mod schema;
mod scorecard;
mod sections;
mod sessions;
mod snapshots;
