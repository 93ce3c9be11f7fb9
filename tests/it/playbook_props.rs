//! Any profile the loader accepts must run through every bundled playbook, in both
//! languages, without a rule error: rules must cope with missing fields, zeros, empty
//! lists and extreme values.

use playbook_engine::profile::Profile;
use playbook_engine::render::{MarkdownRenderer, Renderer};
use playbook_engine::report::Lang;
use proptest::prelude::*;
use std::path::Path;

fn maybe(field: &str, value: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    let field = field.to_string();
    proptest::option::of(value)
        .prop_map(move |v| v.map(|v| format!("  {field}: {v}\n")).unwrap_or_default())
}

fn count() -> impl Strategy<Value = String> {
    prop_oneof![Just(0i64), 0i64..5, 0i64..100_000].prop_map(|n| n.to_string())
}
fn fraction() -> impl Strategy<Value = String> {
    prop_oneof![Just(0.0f64), Just(1.0), 0.0f64..=1.0].prop_map(|n| n.to_string())
}
fn money() -> impl Strategy<Value = String> {
    prop_oneof![Just(0.0f64), 0.0f64..1e7].prop_map(|n| n.to_string())
}
fn positive() -> impl Strategy<Value = String> {
    prop_oneof![Just(0.01f64), 0.01f64..1e6, Just(12.0), Just(18.0)].prop_map(|n| n.to_string())
}
fn flag() -> impl Strategy<Value = String> {
    any::<bool>().prop_map(|b| b.to_string())
}
fn pick(options: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(options).prop_map(str::to_string)
}
fn date() -> impl Strategy<Value = String> {
    (2020i32..2030, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

fn section(name: &str, fields: Vec<BoxedStrategy<String>>) -> impl Strategy<Value = String> {
    let name = name.to_string();
    (any::<bool>(), fields).prop_map(move |(present, lines)| {
        if present {
            format!("{name}:\n{}", lines.concat()).replace(":\n\n", ": {}\n")
        } else {
            String::new()
        }
    })
}

fn product() -> impl Strategy<Value = String> {
    (
        pick(&["hero", "traffic", "profit", "welfare"]),
        positive(),
        proptest::option::of(money()),
        proptest::option::of(count()),
        proptest::option::of(fraction()),
        proptest::option::of(flag()),
    )
        .prop_map(|(role, price, cost, stock, share, excl)| {
            let mut s = format!("  - name: 商品\n    role: {role}\n    price: {price}\n");
            if let Some(c) = cost {
                s += &format!("    unit_cost: {c}\n");
            }
            if let Some(c) = stock {
                s += &format!("    stock: {c}\n");
            }
            if let Some(c) = share {
                s += &format!("    gmv_share: {c}\n");
            }
            if let Some(c) = excl {
                s += &format!("    exclusive: {c}\n");
            }
            s
        })
}

fn profile() -> impl Strategy<Value = String> {
    let brand = (
        maybe(
            "category",
            pick(&["food", "beverage", "beauty", "apparel", "daily", "other"]),
        ),
        maybe(
            "subcategory",
            pick(&["spicy snacks", "fresh fruit", "nuts", "tea", "坚果"]),
        ),
        maybe("awareness", pick(&["low", "medium", "high"])),
        maybe("strength", pick(&["small", "medium", "large"])),
        maybe("offline_established", flag()),
        maybe("platform_exclusive_products", flag()),
        maybe(
            "audience",
            pick(&["[]", "[singles]", "[white_collar, new_moms, silver]"]),
        ),
    )
        .prop_map(|f| {
            format!(
                "brand:\n  name: 测试\n{}{}{}{}{}{}{}",
                f.0, f.1, f.2, f.3, f.4, f.5, f.6
            )
        });
    let grade = || pick(&["S", "A", "B", "C"]);
    let store = section("store", vec![maybe("dsr_level", grade()).boxed()]);
    let account = section(
        "account",
        vec![
            maybe("verified", flag()).boxed(),
            maybe("followers", count()).boxed(),
            maybe(
                "reputation_score",
                prop_oneof![Just(0.0f64), 0.0f64..=5.0].prop_map(|n| n.to_string()),
            )
            .boxed(),
            maybe("live_enabled", flag()).boxed(),
            maybe("room_level", grade()).boxed(),
        ],
    );
    let team = section(
        "team",
        [
            "anchors",
            "ad_buyers",
            "operators",
            "video_editors",
            "customer_service",
        ]
        .iter()
        .map(|f| maybe(f, count()).boxed())
        .chain([maybe("service_provider", flag()).boxed()])
        .collect(),
    );
    let materials = section(
        "materials",
        vec![maybe("ad_videos", count()).boxed()]
            .into_iter()
            .chain(
                [
                    "native_footage",
                    "factory_footage",
                    "origin_footage",
                    "celebrity_clips",
                ]
                .iter()
                .map(|f| maybe(f, flag()).boxed()),
            )
            .collect(),
    );
    let budget = section(
        "budget",
        vec![
            maybe("monthly_ad_spend", money()).boxed(),
            maybe("target_roi", positive()).boxed(),
        ],
    );
    let products = proptest::collection::vec(product(), 0..5).prop_map(|p| {
        if p.is_empty() {
            String::new()
        } else {
            format!("products:\n{}", p.concat())
        }
    });
    let history = section(
        "history",
        vec![
            maybe("sessions", count()).boxed(),
            maybe("avg_session_hours", money()).boxed(),
            maybe("gmv", money()).boxed(),
            maybe("uv", count()).boxed(),
            maybe("click_rate", fraction()).boxed(),
            maybe("conversion_rate", fraction()).boxed(),
            maybe("avg_order_value", money()).boxed(),
        ],
    );
    let market = section(
        "market",
        vec![
            maybe(
                "competitor_prices",
                proptest::collection::vec(positive(), 0..5)
                    .prop_map(|v| format!("[{}]", v.join(", "))),
            )
            .boxed(),
            maybe("seasonal_demand", flag()).boxed(),
            maybe("member_tiers", flag()).boxed(),
            maybe("standardized", flag()).boxed(),
            maybe("differentiated", flag()).boxed(),
            maybe(
                "target_margin",
                prop_oneof![Just(0.0f64), 0.0f64..0.95].prop_map(|n| n.to_string()),
            )
            .boxed(),
        ],
    );
    let event = section(
        "event",
        vec![
            maybe("target_gmv", positive()).boxed(),
            maybe("hours", positive()).boxed(),
            maybe("date", date()).boxed(),
            maybe("max_shift_hours", positive()).boxed(),
        ],
    );
    let plan = section("plan", vec![maybe("start_date", date()).boxed()]);
    let scene = section(
        "scene",
        vec![
            maybe(
                "background",
                pick(&[
                    "[]",
                    "[brand]",
                    "[brand, promotion, process_video, selling_points]",
                ]),
            )
            .boxed(),
            maybe("overlay", flag()).boxed(),
            maybe("color", pick(&["red", "green", "neutral", "other"])).boxed(),
            maybe("display", pick(&["group", "single"])).boxed(),
            maybe("second_camera", flag()).boxed(),
        ],
    );
    (
        brand,
        store,
        account,
        team,
        materials,
        budget,
        products,
        history,
        market,
        (event, plan, scene),
    )
        .prop_map(|(a, b, c, d, e, f, g, h, i, (j, k, l))| {
            [a, b, c, d, e, f, g, h, i, j, k, l].concat()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn every_playbook_runs_on_any_valid_profile(yaml in profile()) {
        thread_local! {
            static LIB: (playbook_engine::library::Library, MarkdownRenderer) = {
                let lib = crate::common::library();
                let md = MarkdownRenderer::for_library(&lib).unwrap();
                (lib, md)
            };
        }
        let profile = Profile::from_bytes(Path::new("gen.yaml"), yaml.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{yaml}")))?;
        LIB.with(|(lib, md)| {
            let data = lib
                .brand(&profile)
                .map_err(|e| TestCaseError::fail(format!("{e}\n--- profile ---\n{yaml}")))?;
            for p in lib.playbooks() {
                for lang in Lang::ALL {
                    let report = lib.run(p, &data, lang)
                        .map_err(|e| TestCaseError::fail(format!("{e}\n--- profile ---\n{yaml}")))?;
                    md.render(&report).map_err(|e| TestCaseError::fail(format!("{e}")))?;
                }
            }
            Ok::<(), TestCaseError>(())
        })?;
    }
}
