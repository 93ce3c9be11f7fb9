//! The million-gmv-event playbook: what its cases as data (`playbooks/million-gmv-event.test.yaml`)
//! cannot say: the raw Markdown's layout, and no NaN or infinity anywhere in the JSON.

use crate::common::*;
use serde_json::Value;

const ID: &str = "million-gmv-event";

fn run(name: &str, lang: &str) -> Value {
    report_json(
        ID,
        &fixture(&format!("profiles/million-gmv-event/{name}.yaml")),
        lang,
    )
}

fn value<'a>(r: &'a Value, id: &str) -> &'a Value {
    &r["values"][id]
}

fn num(r: &Value, id: &str) -> f64 {
    value(r, id)
        .as_f64()
        .unwrap_or_else(|| panic!("`{id}` is not a number: {}", value(r, id)))
}

fn assert_close(got: f64, want: f64, what: &str) {
    assert!((got - want).abs() < 1e-6, "{what}: got {got}, want {want}");
}

#[test]
fn zero_conversion_never_divides_by_zero() {
    for lang in ["zh", "en"] {
        let r = run("zero-conversion", lang);
        assert_eq!(r["verdict"], "at-risk", "{lang}");
        assert!(value(&r, "visitors_needed").is_null());
        assert!(value(&r, "visitors_multiple").is_null());
        assert!(value(&r, "hourly_lift").is_null());
        assert_eq!(status(&r, "visitors"), "todo");
        let text = r.to_string();
        assert!(
            !text.contains("NaN") && !text.contains(":inf") && !text.contains('∞'),
            "{text}"
        );
    }
    let r = run("zero-conversion", "zh");
    assert_eq!(why(&r, "visitors"), "转化率或客单价为 0，算不出所需访客");
    // A zero conversion rate beside ¥8,000,000 of GMV: the figures disagree, and both
    // numbers are printed.
    assert_eq!(status(&r, "data-check"), "todo");
    assert_eq!(
        r["verdict_why"],
        "没有受阻项，但有 1 项风险：近 30 天数据前后对不上（推算 GMV ¥0，填报 ¥8,000,000）；转化率或客单价为 0，算不出所需访客。"
    );
}

#[test]
fn no_event_section_asks_for_the_event() {
    let r = run("no-event", "zh");
    assert_eq!(r["verdict"], "needs-event");
    assert_eq!(
        needs(&r),
        vec!["event.target_gmv", "event.hours", "event.date"]
    );
    for id in [
        "anchors_needed",
        "operators_needed",
        "visitors_needed",
        "ad_spend_needed",
    ] {
        assert!(value(&r, id).is_null(), "{id}");
    }
    assert_eq!(status(&r, "benchmark"), "todo");
    assert!(item(&r, "benchmark")["due"].is_null());
    // What does not need the event still renders.
    assert_close(num(&r, "visitors_per_session"), 200000.0, "per session");
    assert_eq!(status(&r, "hero-share"), "done");
    let en = run("no-event", "en");
    assert_eq!(
        en["verdict_label"],
        "Set the event's target, length and date first"
    );
}

#[test]
fn examples_render_in_both_languages_without_gaps() {
    let out = tempfile::tempdir().unwrap();
    for brand in ["jiaoyu-snacks", "laoxiang-foods", "greenleaf-nuts"] {
        for lang in ["zh", "en"] {
            let md = example_markdown(ID, brand, lang, out.path());
            // No unset value leaks into a title, and floats print without a stray `.0`.
            for line in md.lines().filter(|l| l.starts_with("- [")) {
                for bold in line.split("**").skip(1).step_by(2) {
                    assert!(!bold.contains('—'), "{brand} {lang}: {line}");
                }
            }
            assert!(!md.contains(".0 "), "{brand} {lang}: a `.0` in\n{md}");
        }
    }
}
