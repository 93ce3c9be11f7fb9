//! `playbook init`: through a real pseudo-terminal (driven by Python's `pty` module, as a
//! person would type), and without one (--from-json, flags, and a standard input that is
//! not a terminal).

use crate::common::*;
use playbook_engine::profile::Profile;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NAME: &str = "{{ x }} | # *y*";

#[test]
fn a_whole_session_in_chinese_writes_a_profile_that_runs() {
    let dir = tempfile::tempdir().unwrap();
    let steps = [
        ("name: 品牌名称", NAME),
        ("category: 品类 (food | beverage", "snacks"),
        // The refusal, then the same question again.
        ("unknown value `snacks`", "beverage"),
        ("subcategory:", ": yes"),
        ("awareness:", ""),
        ("strength:", "medium"),
        ("offline_established:", "y"),
        ("platform_exclusive_products:", ""),
        ("audience:", "white_collar，new_moms"),
        ("protects_distributors:", ""),
        ("dsr_level:", "a"),
        ("verified:", "y"),
        ("followers: 账号粉丝数", "-5"),
        ("expected a whole number >= 0", "320"),
        ("reputation_score:", "4.4"),
        ("live_enabled:", ""),
        ("room_level:", ""),
        ("anchors:", "1"),
        ("ad_buyers:", ""),
        ("operators:", "1"),
        ("video_editors:", ""),
        ("customer_service:", "1"),
        ("service_provider:", ""),
        ("veteran_anchors:", "0"),
        ("can_judge_training:", ""),
        ("ad_videos:", "4"),
        ("native_footage:", "y"),
        ("factory_footage:", ""),
        ("origin_footage:", ""),
        ("celebrity_clips:", ""),
        ("monthly_ad_spend:", "50000"),
        ("target_roi:", "2.5"),
        ("添加一个商品？", ""),
        ("name: 商品名称", "麻辣鸭脖 **辣** `x`"),
        ("role:", ""),
        ("price:", "29.9"),
        ("unit_cost:", "12"),
        ("stock:", "8000"),
        ("gmv_share:", "0.8"),
        ("exclusive:", "y"),
        ("event_price:", ""),
        ("competitor_prices:", "25.9, 32"),
        ("selling_points:", "非油炸，当天现卤"),
        ("bundle:", ""),
        ("size:", "small"),
        ("promotion:", "拍二发三"),
        ("offline_price:", ""),
        ("再添加一个商品？", "y"),
        ("name: 商品名称", ": yes"),
        ("role:", "traffic"),
        ("price:", "9.9"),
        ("unit_cost:", ""),
        ("stock:", ""),
        ("gmv_share:", ""),
        ("exclusive:", ""),
        ("event_price:", "1"),
        ("competitor_prices:", ""),
        ("selling_points:", ""),
        ("bundle:", ""),
        ("size:", ""),
        ("promotion:", ""),
        ("offline_price:", ""),
        ("再添加一个商品？", ""),
        ("近 30 天的直播数据？", ""),
        ("市场信息？", "y"),
        ("competitor_prices:", "25.9, 32"),
        ("seasonal_demand:", ""),
        ("member_tiers:", ""),
        ("standardized:", "y"),
        ("differentiated:", ""),
        ("target_margin:", "0.35"),
        ("大场活动？", "y"),
        ("target_gmv:", "1000000"),
        ("hours:", "14"),
        ("date:", "2026-02-30"),
        ("expected a date written YYYY-MM-DD", "2026-12-12"),
        ("max_shift_hours:", ""),
        ("special_scene:", "factory"),
        ("直播间布置？", "y"),
        ("background:", "brand、promotion"),
        ("overlay:", "y"),
        ("color:", "pink"),
        ("color:", "red"),
        ("display:", ""),
        ("second_camera:", ""),
        ("green_screen:", ""),
        ("计划开始日期和日常直播时长？", ""),
        ("投放之外的成本", "y"),
        ("platform_fee_rate:", ""),
        ("shipping_per_order:", "4.5"),
        ("return_rate:", ""),
        ("people_monthly:", ""),
        ("tools_monthly:", ""),
        ("provider_fee_monthly:", ""),
        ("provider_commission_rate:", "1.5"),
        ("provider_commission_rate:", "0.05"),
        ("添加一个销售渠道？", "y"),
        ("name: 渠道名称", "品牌自播"),
        ("kind:", "self_broadcast"),
        ("gmv:", "86000"),
        ("spend:", "30000"),
        ("orders:", "2400"),
        ("last_active:", "2026-11-20"),
        ("再添加一个渠道？", ""),
        ("snapshot_date:", "2026-11-30"),
    ];
    let s = on_terminal(dir.path(), &["init", "shop.yaml"], &steps);
    assert_eq!(s.code, 0, "{}", s.transcript);
    assert!(s.transcript.contains("wrote shop.yaml"), "{}", s.transcript);

    let file = dir.path().join("shop.yaml");
    let p = Profile::load(&file).unwrap();
    assert_eq!(p.brand.name, NAME);
    assert_eq!(p.brand.subcategory.as_deref(), Some(": yes"));
    assert_eq!(serde_json::to_value(p.brand.category).unwrap(), "beverage");
    assert_eq!(
        p.store.as_ref().unwrap().dsr_level,
        Some(playbook_engine::profile::Grade::A)
    );
    let products = p.products.as_ref().unwrap();
    assert_eq!(products[0].name, "麻辣鸭脖 **辣** `x`");
    assert_eq!(products[1].name, ": yes");
    assert_eq!(products[0].price.0, 29.9);
    assert_eq!(products[1].event_price.unwrap().0, 1.0);
    assert_eq!(products[0].competitor_prices.as_ref().unwrap().len(), 2);
    assert_eq!(
        products[0].selling_points.as_deref(),
        Some(&["非油炸".to_string(), "当天现卤".to_string()][..])
    );
    let account = p.account.as_ref().unwrap();
    assert_eq!(account.followers.unwrap().0, 320);
    assert_eq!(
        p.event.as_ref().unwrap().date.unwrap().to_string(),
        "2026-12-12"
    );
    assert!(p.history.is_none() && p.plan.is_none());
    assert_eq!(products[0].promotion.as_deref(), Some("拍二发三"));
    let costs = p.costs.as_ref().unwrap();
    assert_eq!(costs.shipping_per_order.unwrap().0, 4.5);
    assert_eq!(costs.provider_commission_rate.unwrap().0, 0.05);
    let channels = p.channels.as_ref().unwrap();
    assert_eq!(channels[0].name, "品牌自播");
    assert_eq!(channels[0].orders.unwrap().0, 2400);
    assert_eq!(p.snapshot_date.unwrap().to_string(), "2026-11-30");
    let scene = serde_json::to_value(p.scene.as_ref().unwrap()).unwrap();
    assert_eq!(
        scene["background"],
        serde_json::json!(["brand", "promotion"])
    );
    assert_eq!(scene["color"], "red");
    assert_eq!(scene["overlay"], true);
    assert!(scene["display"].is_null());
    assert_eq!(
        serde_json::to_value(&p.brand.audience).unwrap(),
        serde_json::json!(["white_collar", "new_moms"])
    );
    // What the terminal showed: allowed values, defaults, and the reasons for re-asking.
    assert!(
        s.transcript.contains("(S | A | B | C) [回车跳过]"),
        "{}",
        s.transcript
    );
    assert!(
        s.transcript.contains("unknown value `snacks`"),
        "{}",
        s.transcript
    );

    let report = report_json("cold-start", &file, "en");
    assert_eq!(report["brand"], NAME);
}

#[test]
fn an_existing_file_is_kept_unless_the_answer_is_yes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("brand.yaml");
    std::fs::write(&file, "brand: {name: mine}\n").unwrap();
    let s = on_terminal(
        dir.path(),
        &["init", "--lang", "en"],
        &[("already exists. Replace it? [y/N]", "")],
    );
    assert_eq!(s.code, 0, "{}", s.transcript);
    assert!(s.transcript.contains("Left brand.yaml as it was"));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "brand: {name: mine}\n"
    );

    // Yes, then the end of input (Ctrl-D) at the first question: still nothing written.
    let s = on_terminal(
        dir.path(),
        &["init", "--lang", "en"],
        &[("Replace it?", "y"), ("name: Brand display name", "\u{4}")],
    );
    assert_eq!(s.code, 1, "{}", s.transcript);
    assert!(
        s.transcript.contains("nothing was written"),
        "{}",
        s.transcript
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "brand: {name: mine}\n"
    );
}

/// Runs `playbook args` with `input` on a pipe that stays open unless `input` is given;
/// fails the test instead of hanging if the command waits for more.
fn piped(dir: &Path, args: &[&str], input: Option<&str>) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let _open = match input {
        Some(text) => {
            let mut stdin = stdin;
            stdin.write_all(text.as_bytes()).unwrap();
            None
        }
        None => Some(stdin),
    };
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("`playbook {}` waited for input", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn without_a_terminal_it_refuses_instead_of_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let out = piped(dir.path(), &["init"], None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--from-json"), "{}", stderr(&out));
    assert!(!dir.path().join("brand.yaml").exists());
}

#[test]
fn from_json_and_flags_write_profiles_that_load() {
    let dir = tempfile::tempdir().unwrap();
    let json = serde_json::json!({
        "brand": {"name": ": yes", "category": "food", "audience": ["silver"]},
        "account": {"followers": 10, "reputation_score": 4.5, "room_level": null},
        "products": [{"name": "a\"b\\c #x", "role": "hero", "price": 5}],
        "event": {"date": "2026-12-12"}
    });
    let out = piped(
        dir.path(),
        &["init", "j.yaml", "--from-json", "-", "--strength", "large"],
        Some(&json.to_string()),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let p = Profile::load(&dir.path().join("j.yaml")).unwrap();
    assert_eq!(p.brand.name, ": yes");
    assert_eq!(p.products.unwrap()[0].name, "a\"b\\c #x");
    assert!(p.brand.strength.is_some());
    let report = report_json("cold-start", &dir.path().join("j.yaml"), "zh");
    assert_eq!(report["brand"], ": yes");

    let out = piped(
        dir.path(),
        &[
            "init",
            "f.yaml",
            "--name",
            NAME,
            "--audience",
            "singles,silver",
        ],
        Some(""),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join("f.yaml")).unwrap();
    assert!(text.contains("name: \"{{ x }} | # *y*\""), "{text}");
    let report = report_json("cold-start", &dir.path().join("f.yaml"), "zh");
    assert_eq!(report["brand"], NAME);

    // The file exists now: refused without --force, replaced with it.
    let out = piped(dir.path(), &["init", "f.yaml", "--name", "other"], Some(""));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("f.yaml")).unwrap(),
        text
    );
    let out = piped(
        dir.path(),
        &["init", "f.yaml", "--name", "other", "--force"],
        Some(""),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let p = Profile::load(&dir.path().join("f.yaml")).unwrap();
    assert_eq!(p.brand.name, "other");
}

#[test]
fn bad_json_and_bad_flags_are_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.json"),
        "{\"brand\": {\"name\": \"x\"},\n \"account\": {\"reputation_scor\": 4}}",
    )
    .unwrap();
    let out = piped(dir.path(), &["init", "--from-json", "p.json"], Some(""));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("p.json:2:"), "{err}");
    assert!(err.contains("did you mean `reputation_score`"), "{err}");

    let out = piped(
        dir.path(),
        &["init", "--from-json", "-"],
        Some("{\"brand\": {\"name\": \"x\"}, \"team\": {\"anchors\": -1}}"),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains(">= 0"), "{}", stderr(&out));

    let out = piped(
        dir.path(),
        &["init", "--name", "x", "--category", "snacks"],
        Some(""),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--category"), "{}", stderr(&out));
    assert!(!dir.path().join("brand.yaml").exists());
}
