//! `playbook`: rules-driven live-commerce playbooks rendered to Markdown, JSON and PDF.
pub mod pdf;
