//! The million-gmv-event playbook against fixture profiles and the example brands.
//! Every expected figure below was worked out by hand from the profile.

use crate::common::*;
use serde_json::{json, Value};

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
fn everything_in_place_is_on_track() {
    let r = run("on-track", "zh");
    assert_eq!(r["verdict"], "on-track");
    assert!(needs(&r).is_empty(), "{:?}", needs(&r));
    // 12 hours / 6-hour shifts = 2 shifts; 2 operator posts x 2 shifts.
    assert_eq!(value(&r, "anchors_needed"), &json!(2));
    assert_eq!(value(&r, "operators_needed"), &json!(4));
    // 1,000,000 x share / price, per product; the welfare item (the fourth) by rounds:
    // 12 hours x 4 rounds an hour x 50 units a round.
    assert_eq!(value(&r, "units_needed"), &json!([16000, 10000, 500, 2400]));
    assert_eq!(value(&r, "short_products"), &json!([]));
    // 1,000,000 / (0.04 x 50) = 500,000; 4,000,000 visitors / 20 sessions = 200,000.
    assert_close(num(&r, "visitors_needed"), 500000.0, "visitors");
    assert_close(num(&r, "visitors_per_session"), 200000.0, "per session");
    assert_close(num(&r, "visitors_multiple"), 2.5, "multiple");
    // 2.5 x 6 hours a session / 12 event hours.
    assert_close(num(&r, "hourly_lift"), 1.25, "hourly lift");
    // The welfare item's 2,400 units sold at ¥5 are orders too: (1,000,000 - 12,000) / 50
    // + 2,400.
    assert_close(num(&r, "orders_expected"), 22160.0, "orders");
    // 1,000,000 x 70% paid / ROI 3.5 = 200,000, half of the 400,000 monthly budget.
    assert_close(num(&r, "ad_spend_needed"), 200000.0, "ad spend");
    assert_close(num(&r, "ad_spend_vs_budget"), 0.5, "share of budget");
    assert_close(num(&r, "hero_share"), 0.8, "hero share");
    for id in [
        "anchors",
        "operators",
        "ad-buyer",
        "stock-1",
        "stock-2",
        "stock-3",
        "stock-4",
        "hero-share",
        "lineup-roles",
        "ad-budget",
    ] {
        assert_eq!(status(&r, id), "done", "{id}: {}", why(&r, id));
    }
    assert!(!has_item(&r, "event-hours"));
    assert!(!has_item(&r, "share-total"));
    // Stock exactly equal to the need is enough.
    assert!(
        why(&r, "stock-1").contains("16,000"),
        "{}",
        why(&r, "stock-1")
    );
    assert_eq!(
        why(&r, "visitors"),
        "需要 500,000 名访客，近期单场约 200,000 人，是平时的 2.5 倍"
    );
    assert!(
        why(&r, "stock-4").contains("48 轮 × 每轮限量 50 件 = 2,400 件"),
        "{}",
        why(&r, "stock-4")
    );
    assert!(!has_item(&r, "traffic-gap") || status(&r, "traffic-gap") == "done");
    assert!(!has_item(&r, "data-check") || status(&r, "data-check") == "done");
}

#[test]
fn checklists_are_dated_back_from_the_event_day() {
    let r = run("on-track", "en");
    let due = |id: &str| item(&r, id)["due"].as_str().unwrap().to_string();
    // The event is on 2026-12-12.
    assert_eq!(due("benchmark"), "2026-11-21");
    assert_eq!(due("goods-plan"), "2026-11-28");
    assert_eq!(due("compliance"), "2026-12-05");
    assert_eq!(due("feedslive"), "2026-12-05");
    assert_eq!(due("ad-test"), "2026-12-09");
    assert_eq!(due("ad-settle"), "2026-12-11");
    assert_eq!(due("anchor-rota"), "2026-12-12");
    assert_eq!(due("review"), "2026-12-13");
    assert_eq!(due("shipping"), "2026-12-14");
    assert_eq!(due("battle-report"), "2026-12-14");
    for i in r["items"].as_array().unwrap() {
        if ["before", "during", "after"].contains(&i["section"].as_str().unwrap())
            && i["status"] != "info"
        {
            assert!(i["owner"].is_string(), "{} has no owner", i["id"]);
        }
    }
}

#[test]
fn a_stock_shortfall_blocks_and_names_the_product_and_both_numbers() {
    let r = run("one-product", "zh");
    assert_eq!(r["verdict"], "not-ready");
    // 1,000,000 x 100% / 99 = 10,101.01, rounded up.
    assert_eq!(value(&r, "units_needed"), &json!([10102]));
    assert_eq!(value(&r, "short_products"), &json!(["独家卤牛肉"]));
    assert_eq!(status(&r, "stock-1"), "blocked");
    let w = why(&r, "stock-1");
    for part in ["独家卤牛肉", "10,102", "5,000", "缺 5,102 件"] {
        assert!(w.contains(part), "`{part}` not in: {w}");
    }
    assert!(r["verdict_why"].as_str().unwrap().starts_with("1 项受阻"));
    // A 12-hour event with 12-hour shifts is one shift, yet needs two anchors.
    assert_eq!(value(&r, "shifts"), &json!(1));
    assert_eq!(value(&r, "anchors_needed"), &json!(2));
    assert_eq!(value(&r, "operators_needed"), &json!(2));
    assert_close(num(&r, "hero_share"), 1.0, "hero share");
    assert_eq!(status(&r, "lineup-roles"), "todo");
    assert_eq!(
        value(&r, "missing_roles"),
        &json!(["引流款", "利润款", "福利款"])
    );

    let en = run("one-product", "en");
    let w = why(&en, "stock-1");
    for part in ["独家卤牛肉", "10,102", "5,000", "5,102 short"] {
        assert!(w.contains(part), "`{part}` not in: {w}");
    }
    assert_eq!(
        en["values"]["missing_roles"],
        json!(["traffic item", "profit item", "welfare item"])
    );
}

#[test]
fn zero_stock_blocks_and_a_missing_share_is_asked_for() {
    let r = run("zero-stock", "en");
    assert_eq!(r["verdict"], "not-ready");
    // 1,000,000 x 90% / 40 = 22,500; the second product has no planned share.
    assert_eq!(value(&r, "units_needed"), &json!([22500, null]));
    assert_eq!(status(&r, "stock-1"), "blocked");
    let w = why(&r, "stock-1");
    for part in ["零库存爆款", "22,500", "0 in stock: 22,500 short"] {
        assert!(w.contains(part), "`{part}` not in: {w}");
    }
    assert_eq!(status(&r, "stock-2"), "todo");
    assert!(why(&r, "stock-2").contains("the planned share of GMV of 无占比引流款"));
    assert_eq!(needs(&r), vec!["products[2].gmv_share"]);
    assert!(
        r["verdict_why"]
            .as_str()
            .unwrap()
            .contains("1 product short of stock (零库存爆款)"),
        "{}",
        r["verdict_why"]
    );
}

#[test]
fn no_products_still_renders_the_rest() {
    let r = run("no-products", "zh");
    assert_eq!(r["verdict"], "at-risk");
    assert_eq!(needs(&r), vec!["products"]);
    assert!(value(&r, "units_needed").is_null());
    assert!(value(&r, "hero_share").is_null());
    assert!(!has_item(&r, "stock-1"));
    assert_eq!(status(&r, "hero-share"), "todo");
    assert!(
        why(&r, "hero-share").contains("商品清单"),
        "{}",
        why(&r, "hero-share")
    );
    // People and traffic are still worked out.
    assert_eq!(value(&r, "anchors_needed"), &json!(2));
    assert_close(num(&r, "visitors_needed"), 500000.0, "visitors");
}

#[test]
fn no_history_lists_what_it_needs() {
    let r = run("no-history", "en");
    assert_eq!(r["verdict"], "at-risk");
    let n = needs(&r);
    for f in [
        "history.conversion_rate",
        "history.avg_order_value",
        "history.uv",
        "history.sessions",
    ] {
        assert!(n.contains(&f), "{f} not in {n:?}");
    }
    assert!(value(&r, "visitors_needed").is_null());
    assert!(value(&r, "visitors_per_session").is_null());
    assert_eq!(status(&r, "visitors"), "todo");
    assert!(why(&r, "visitors")
        .starts_with("cannot be judged yet: the profile does not give the conversion rate"));
    // Stock and ad spend do not depend on history.
    assert_eq!(value(&r, "units_needed"), &json!([16000, 10000, 500, 2400]));
    assert_close(num(&r, "ad_spend_needed"), 200000.0, "ad spend");
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
fn a_short_event_is_a_risk_and_needs_one_anchor() {
    let r = run("short-event", "en");
    assert_eq!(r["verdict"], "at-risk");
    assert_eq!(
        r["verdict_why"],
        "Nothing blocked, but 1 risk is open: length outside 12-18 hours."
    );
    assert_eq!(status(&r, "event-hours"), "todo");
    assert_eq!(item(&r, "event-hours")["kind"], "risk");
    assert!(why(&r, "event-hours").contains("6 hours"));
    assert_eq!(value(&r, "anchors_needed"), &json!(1));
    assert_eq!(value(&r, "operators_needed"), &json!(2));
    // 2.5 x 6 / 6: the short event needs the whole gap per hour.
    assert_close(num(&r, "hourly_lift"), 2.5, "hourly lift");
}

#[test]
fn a_long_event_uses_six_hour_shifts_by_default() {
    let r = run("long-event", "zh");
    assert_eq!(r["verdict"], "not-ready");
    assert_close(num(&r, "shift_hours"), 6.0, "default shift");
    // ceil(20 / 6) = 4 anchors; 2 posts x 4 shifts = 8 operators.
    assert_eq!(value(&r, "anchors_needed"), &json!(4));
    assert_eq!(value(&r, "operators_needed"), &json!(8));
    assert_eq!(status(&r, "event-hours"), "todo");
    assert_eq!(status(&r, "anchors"), "blocked");
    assert_eq!(why(&r, "anchors"), "需要 4 位，现有 2 位，还差 2 位");
    assert_eq!(status(&r, "operators"), "todo");
    let fig = r["values"].clone();
    assert_eq!(fig["shifts"], json!(4));
    assert!(r["verdict_why"].as_str().unwrap().contains("主播不够"));
}

#[test]
fn jiaoyu_is_not_ready() {
    let r = report_json(ID, &example("jiaoyu-snacks"), "zh");
    assert_eq!(r["verdict"], "not-ready");
    // Live selling is not unlocked: the event waits on it, first, and the 30-day figures
    // an account that cannot sell live has not got are not asked for.
    assert!(needs(&r).is_empty(), "{:?}", needs(&r));
    assert_eq!(status(&r, "live-selling"), "blocked");
    assert_eq!(r["actions"][0], "live-selling");
    assert!(!has_item(&r, "visitors"));
    // ceil(14 / 6) = 3 anchors, 6 operators.
    assert_eq!(value(&r, "anchors_needed"), &json!(3));
    assert_eq!(value(&r, "operators_needed"), &json!(6));
    // 1,000,000 x 0.8 / 29.9 = 26,755.9; x 0.08 / the event price 6.9 = 11,594.2;
    // x 0.1 / 69 = 1,449.3; the welfare item by rounds: 14 hours x 4 x 50 = 2,800.
    assert_eq!(
        value(&r, "units_needed"),
        &json!([26756, 11595, 1450, 2800])
    );
    for i in 1..=3 {
        assert_eq!(status(&r, &format!("stock-{i}")), "blocked");
    }
    assert_eq!(status(&r, "stock-4"), "done");
    assert!(why(&r, "stock-1").contains("麻辣鸭脖需备 26,756 件"));
    assert!(why(&r, "stock-1").contains("现有库存 8,000 件"));
    assert!(why(&r, "stock-2").contains("÷ 活动价 ¥6.9（按活动价算，不按售价 ¥9.9）"));
    assert!(why(&r, "stock-4").contains("56 轮 × 每轮限量 50 件 = 2,800 件"));
    // 1,000,000 x 0.7 / 2.5 = 280,000 against 50,000 a month.
    assert_close(num(&r, "ad_spend_needed"), 280000.0, "ad spend");
    assert_close(num(&r, "ad_spend_vs_budget"), 5.6, "share of budget");
    assert_eq!(status(&r, "ad-budget"), "blocked");
    assert_eq!(status(&r, "anchors"), "blocked");
    assert_eq!(
        r["verdict_why"],
        "6 项受阻：账号还没开通直播带货（要先开通）、3 个商品备货不足（麻辣鸭脖、香辣小鱼仔、卤味礼盒）、主播不够、千川预算不足；另有 2 项风险：运营人手不足、没有投手盯盘。"
    );
}

#[test]
fn laoxiang_has_the_stock_but_not_the_traffic() {
    let r = report_json(ID, &example("laoxiang-foods"), "en");
    // 11.95 times a recent session's visitors: the target is out of reach as planned.
    assert_eq!(r["verdict"], "not-ready");
    assert_eq!(value(&r, "anchors_needed"), &json!(3));
    assert_eq!(status(&r, "anchors"), "done");
    // 820,000 / 49.9 = 16,432.9; 70,000 / 9.9 = 7,070.7; 100,000 / 168 = 595.2; the
    // lucky bag by rounds: 16 hours x 4 x 50 = 3,200.
    assert_eq!(value(&r, "units_needed"), &json!([16433, 7071, 596, 3200]));
    assert_eq!(value(&r, "short_products"), &json!([]));
    for i in 1..=4 {
        assert_eq!(status(&r, &format!("stock-{i}")), "done");
    }
    // 1,000,000 / (0.045 x 62) = 358,422.9; 900,000 / 30 = 30,000: 11.95 times, a
    // traffic gap (more than 3 times a recent session's visitors).
    assert_close(
        num(&r, "visitors_needed"),
        1_000_000.0 / (0.045 * 62.0),
        "visitors",
    );
    assert_close(
        num(&r, "visitors_multiple"),
        1_000_000.0 / (0.045 * 62.0) / 30_000.0,
        "multiple",
    );
    assert_eq!(status(&r, "traffic-gap"), "blocked");
    assert_eq!(r["actions"][0], "traffic-gap");
    assert!(
        why(&r, "traffic-gap").contains("358,423"),
        "{}",
        why(&r, "traffic-gap")
    );
    // 700,000 / 3 against 800,000.
    assert_close(num(&r, "ad_spend_needed"), 700_000.0 / 3.0, "ad spend");
    assert_eq!(status(&r, "ad-budget"), "done");
    assert_eq!(status(&r, "operators"), "todo");
    assert_eq!(
        r["verdict_why"],
        "1 item blocked: a traffic gap (the target needs 11.95 times a recent session's visitors; at 3 times the room makes about ¥251,100); 1 more risk: too few operators."
    );
}

#[test]
fn greenleaf_needs_an_event() {
    let r = report_json(ID, &example("greenleaf-nuts"), "en");
    assert_eq!(r["verdict"], "needs-event");
    assert_close(num(&r, "hero_share"), 0.7, "hero share");
    assert_eq!(status(&r, "hero-share"), "todo");
    assert_eq!(
        value(&r, "missing_roles"),
        &json!(["profit item", "welfare item"])
    );
    assert_eq!(status(&r, "share-total"), "todo");
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

#[test]
fn a_target_under_a_million_says_it_earns_no_rating() {
    let r = run("small-target", "en");
    assert_eq!(r["verdict"], "on-track");
    // 600,000 x share / price; 600,000 / 2.0; 600,000 x 70% / 3.5.
    assert_eq!(value(&r, "units_needed"), &json!([9600, 6000, 300, 2400]));
    assert_close(num(&r, "visitors_needed"), 300000.0, "visitors");
    assert_close(num(&r, "ad_spend_needed"), 120000.0, "ad spend");
    let w = why(&r, "payoff");
    assert!(w.contains("target of ¥600,000 is below that line"), "{w}");
    // The brand name prints as written.
    assert_eq!(r["brand"], "小目标 <Foods> | #1");
    let zh = run("small-target", "zh");
    assert!(why(&zh, "payoff").contains("本次目标 ¥600,000 低于这条线"));
    let on_track = run("on-track", "zh");
    assert!(!why(&on_track, "payoff").contains("低于这条线"));
}

#[test]
fn zero_sessions_leave_nothing_to_compare_with() {
    let r = run("zero-sessions", "en");
    assert_eq!(r["verdict"], "at-risk");
    assert_close(num(&r, "visitors_needed"), 500000.0, "visitors");
    assert!(value(&r, "visitors_per_session").is_null());
    assert!(value(&r, "visitors_multiple").is_null());
    assert!(value(&r, "hourly_lift").is_null());
    assert_eq!(why(&r, "visitors"), "no recent sessions to compare with");
    assert_eq!(
        r["verdict_why"],
        "Nothing blocked; with zero recent sessions there is nothing to compare the visitors needed with."
    );
}

#[test]
fn steps_due_before_the_plan_starts_are_compressed_to_its_first_day() {
    let r = run("late-start", "zh");
    // The plan starts 2026-12-01; counted back from 2026-12-12, three steps fall earlier.
    for id in ["benchmark", "goods-plan", "scene"] {
        assert_eq!(item(&r, id)["due"], "2026-12-01", "{id}");
        assert!(why(&r, id).contains("压缩到开始当天"), "{}", why(&r, id));
    }
    assert_eq!(item(&r, "compliance")["due"], "2026-12-05");
    let before = r["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "before")
        .unwrap();
    assert!(
        before["intro"].as_str().unwrap().contains("有 3 项"),
        "{before}"
    );
}

#[test]
fn an_account_that_cannot_sell_live_gets_no_dated_schedule() {
    let r = report_json(
        ID,
        &fixture("profiles/coherence/locked-with-event.yaml"),
        "en",
    );
    assert_eq!(r["verdict"], "not-ready");
    assert_eq!(r["actions"][0], "live-selling");
    for i in r["items"].as_array().unwrap() {
        if ["before", "during", "after"].contains(&i["section"].as_str().unwrap()) {
            assert!(i["due"].is_null(), "{} is dated", i["id"]);
        }
    }
}

#[test]
fn items_sold_below_cost_on_the_day_are_stocked_by_rounds() {
    let r = report_json(
        ID,
        &fixture("profiles/coherence/flash-sale-lineup.yaml"),
        "zh",
    );
    // 1 元尝鲜饼: 5% of GMV at ¥1 would be 50,000 loss-making units; 15 hours x 4 rounds
    // x 50 units instead. 9.9 元三连包 at its event price: 130,000 / 9.9.
    let units = &r["values"]["units_needed"];
    assert_eq!(units[1], 3000);
    assert_eq!(units[2], json!((130_000.0_f64 / 9.9).ceil() as i64));
    assert!(why(&r, "stock-2").contains("轮"), "{}", why(&r, "stock-2"));
    assert!(
        why(&r, "stock-3").contains("活动价 ¥9.9"),
        "{}",
        why(&r, "stock-3")
    );
}
