//! Markdown to PDF. Knows Markdown and pages, nothing of playbooks.
