//! Scorecards in the engine: dimension weights, partial credit, notes left out,
//! `for_each` checks, the action order, and mistakes `playbook check` must catch.

use crate::common::*;
use serde_json::Value;

#[test]
fn weights_credit_and_notes_score_as_documented() {
    let out = playbook(&[
        "run",
        "weights",
        "--playbooks",
        fixture("playbooks/scorecard").to_str().unwrap(),
        "--brand",
        fixture("profiles/name-only.yaml").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    // one: heavy (3, done) + light (1, not done); the note is not a check: 3/4.
    // two: half (1, credit 0.5) + each-1 (2, credit -5 -> 0) + each-2, each-3 (2 each,
    // credit 9 -> 1): 4.5/7. empty: no checks.
    assert_eq!(
        dimension_scores(&r),
        [("one", 75), ("two", 64), ("empty", 0)].map(|(k, v)| (k.to_string(), v))
    );
    let card = &r["scorecard"];
    // `empty` has no check to score: it is left out. (3 x 75 + 64.29) / 4
    assert_eq!(card["overall"], 72);
    let dims = card["dimensions"].as_array().unwrap();
    assert_eq!(dims[0]["checks"], 2);
    assert_eq!(dims[0]["passed"], 1);
    assert_eq!(dims[0]["share"], 75);
    assert_eq!(dims[1]["checks"], 4);
    assert_eq!(dims[1]["passed"], 2);
    assert_eq!(dims[2]["checks"], 0);
    assert_eq!(dims[2]["share"], 0);
    assert_eq!(r["verdict"], "fine");
    assert_eq!(r["verdict_why"], "总分 72");
    // Blocked first, then by priority.
    assert_eq!(r["actions"], serde_json::json!(["half", "each-1", "light"]));
    let item = |id: &str| {
        r["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(item("half")["credit"], 0.5);
    assert_eq!(item("each-1")["credit"], 0.0);
    assert_eq!(item("each-3")["weight"], 2.0);
    assert_eq!(item("heavy")["weight"], 3.0);
    assert!(item("note").get("credit").is_none());
    assert!(item("unscored").get("dimension").is_none());
    assert_eq!(item("light")["dimension"], "one");
}

#[test]
fn an_unknown_dimension_is_named_with_its_place() {
    let out = playbook(&[
        "check",
        fixture("playbooks/bad-dimension").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("bad-dimension.yaml:13:20"), "{err}");
    assert!(err.contains("unknown dimension `poeple`"), "{err}");
    assert!(err.contains("people"), "{err}");
}

#[test]
fn a_covered_by_that_names_no_playbook_is_caught_by_check() {
    let out = playbook(&[
        "check",
        fixture("playbooks/bad-reference").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("bad-reference.yaml:12:21"), "{err}");
    assert!(
        err.contains("`covered_by: prcing` names no playbook"),
        "{err}"
    );
    assert!(err.contains("did you mean `pricing`?"), "{err}");
}

#[test]
fn an_id_that_a_for_each_item_would_generate_is_refused() {
    let out = playbook(&["check", fixture("playbooks/id-clash").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("id-clash.yaml:12:13"), "{err}");
    assert!(
        err.contains("`stock-2` could be one of the items `stock` numbers"),
        "{err}"
    );
}
