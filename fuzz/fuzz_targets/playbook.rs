//! The playbook parser and compiler, against the bundled facts and glossary: any text
//! gives a playbook or a located error, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use playbook_engine::library::{Bundle, Library};
use playbook_engine::playbook::Playbook;
use std::path::Path;

thread_local! {
    // Built once: the engine and the shared layer every playbook compiles against.
    static SETUP: (rhai::Engine, Library) = (
        playbook_engine::rules::engine(),
        Library::bundled(&Bundle {
            playbooks: playbook_bundled::PLAYBOOKS,
            templates: playbook_bundled::TEMPLATES,
        })
        .expect("the bundled playbooks load"),
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    SETUP.with(|(engine, library)| {
        let file = Path::new("playbooks/fuzz.yaml");
        if let Err(e) = Playbook::compile(engine, library.shared(), file, text) {
            assert!(e.to_string().contains("fuzz.yaml"), "{e}");
        }
    });
});
