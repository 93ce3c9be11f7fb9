//! The profile loader takes arbitrary bytes: it must answer with a profile or a one-line
//! error, never a panic.

use playbook_engine::profile::Profile;
use proptest::prelude::*;
use std::path::Path;

const KEYS: &[&str] = &[
    "brand",
    "name",
    "account",
    "followers",
    "reputation_score",
    "team",
    "anchors",
    "products",
    "price",
    "role",
    "event",
    "date",
    "history",
    "conversion_rate",
    "market",
    "competitor_prices",
];

fn yamlish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        proptest::sample::select(KEYS).prop_map(|k| format!("{k}:")),
        Just("\n".to_string()),
        Just("  ".to_string()),
        Just("- ".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("\"".to_string()),
        Just("&a *a ".to_string()),
        any::<i64>().prop_map(|n| format!(" {n}")),
        any::<f64>().prop_map(|n| format!(" {n}")),
        "[a-z椒语 ]{0,8}",
    ];
    proptest::collection::vec(token, 0..60).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Err(e) = Profile::from_bytes(Path::new("x.yaml"), &bytes) {
            let m = e.to_string();
            prop_assert!(m.starts_with("x.yaml"));
            prop_assert!(!m.contains('\n'));
        }
    }

    #[test]
    fn yaml_like_text_never_panics(text in yamlish()) {
        let prefixed = format!("brand:\n  name: x\n{text}");
        for input in [text.as_str(), prefixed.as_str()] {
            if let Err(e) = Profile::from_bytes(Path::new("x.yaml"), input.as_bytes()) {
                let m = e.to_string();
                prop_assert!(m.starts_with("x.yaml"));
                prop_assert!(!m.contains('\n'), "{}", m);
            }
        }
    }
}
