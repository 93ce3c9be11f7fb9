//! The playbooks and templates that ship with `playbook`, embedded as data.
//!
//! Kept in a crate of their own so that editing a playbook rebuilds this small crate and
//! relinks its users, and nothing else.
//!
//! ```
//! assert!(playbook_bundled::PLAYBOOKS.iter().any(|(path, _)| *path == "playbooks/pricing.yaml"));
//! ```

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
