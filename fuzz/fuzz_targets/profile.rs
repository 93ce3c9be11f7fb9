//! The profile loader: any bytes give a profile or a located error, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = playbook_engine::profile::Profile::from_bytes(Path::new("fuzz.yaml"), data) {
        // Every message names the file.
        assert!(e.to_string().contains("fuzz.yaml"), "{e}");
    }
});
