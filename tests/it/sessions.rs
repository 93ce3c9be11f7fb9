//! Sessions exports (`--sessions`): the same records from a CSV and a spreadsheet with
//! Chinese headers in another order, extra columns, `%`, `¥`, `万` and durations; errors
//! at the row and column of a bad cell.

use crate::common::*;
use playbook_engine::import::read_sessions;
use serde_json::json;

fn sessions(file: &str, columns: Option<&str>) -> serde_json::Value {
    let columns = columns.map(fixture);
    let imported =
        read_sessions(&fixture(file), columns.as_deref()).unwrap_or_else(|e| panic!("{file}: {e}"));
    serde_json::to_value(&imported.sessions).unwrap()
}

/// What `export-zh.csv` and `export-zh.xlsx` hold, worked out by hand from their cells.
fn expected() -> serde_json::Value {
    json!([
        {"date": "2026-11-01 19:00", "gmv": 12345.6, "viewers": 8000, "ad_spend": 4200.0,
         "orders": 310, "hours": 4.5, "avg_stay_seconds": 48.0, "product_clicks": 1100},
        // 1.2万 = 12,000; 5小时; 1分05秒 = 65 s.
        {"date": "2026-11-02 20:00", "gmv": 12000.0, "viewers": 9500, "ad_spend": 5000.0,
         "orders": 360, "hours": 5.0, "avg_stay_seconds": 65.0, "product_clicks": 1250},
        // Dashes and empty cells leave a field unset.
        {"date": "2026-11-03"},
        {"date": "2026-11-04", "gmv": 0.0, "viewers": 3000, "ad_spend": 800.0,
         "orders": 0, "hours": 2.0, "avg_stay_seconds": 30.0, "product_clicks": 120},
    ])
}

/// The fields a session sets, without the unset ones.
fn set_fields(value: serde_json::Value) -> serde_json::Value {
    let rows = value.as_array().unwrap().iter().map(|row| {
        let kept: serde_json::Map<_, _> = row
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        serde_json::Value::Object(kept)
    });
    serde_json::Value::Array(rows.collect())
}

#[test]
fn a_csv_and_a_spreadsheet_export_give_the_same_sessions() {
    assert_eq!(
        set_fields(sessions("sessions/export-zh.csv", None)),
        expected()
    );
    assert_eq!(
        set_fields(sessions("sessions/export-zh.xlsx", None)),
        expected()
    );
}

#[test]
fn english_headers_and_a_users_own_headers_are_read() {
    let en = set_fields(sessions("sessions/export-en.csv", None));
    assert_eq!(
        en,
        json!([{"date": "2026-11-01 19:00", "gmv": 12345.6, "viewers": 8000, "orders": 310,
                "ad_spend": 4200.0, "hours": 4.5}])
    );
    let custom = set_fields(sessions(
        "sessions/custom-headers.csv",
        Some("sessions/columns.yaml"),
    ));
    assert_eq!(
        custom,
        json!([{"date": "2026-11-01", "gmv": 1000.0, "viewers": 50}])
    );
}

#[test]
fn extra_columns_are_named_once_on_standard_error() {
    let out = playbook(&[
        "run",
        "readiness",
        "--brand",
        example("greenleaf-nuts").to_str().unwrap(),
        "--sessions",
        fixture("sessions/export-zh.csv").to_str().unwrap(),
        "--format",
        "json",
    ]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(err.matches("warning:").count(), 1, "{err}");
    assert!(
        err.contains("ignored 2 column(s) that match no session field: A (直播间名称), G (转化率)"),
        "{err}"
    );
}

#[test]
fn a_bad_cell_is_named_by_file_row_and_column_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, Option<&str>, &str); 4] = [
        (
            "sessions/bad-row.csv",
            None,
            "bad-row.csv: row 4, column B: 成交金额(元) `12,3x`: not a number",
        ),
        (
            "sessions/custom-headers.csv",
            None,
            "custom-headers.csv: row 1: no column gives the session's date",
        ),
        (
            "sessions/custom-headers.csv",
            Some("sessions/columns-typo.yaml"),
            "columns-typo.yaml:1:6: `gvm` is not a session field",
        ),
        (
            "sessions/columns.yaml",
            None,
            "a sessions export is a .csv, .tsv, .xlsx, .xls or .ods file",
        ),
    ];
    for (file, columns, expect) in cases {
        let mut args = vec![
            "run".to_string(),
            "all".into(),
            "--brand".into(),
            example("greenleaf-nuts").to_str().unwrap().into(),
            "--sessions".into(),
            fixture(file).to_str().unwrap().into(),
            "--out".into(),
            dir.path().to_str().unwrap().into(),
        ];
        if let Some(c) = columns {
            args.extend(["--columns".into(), fixture(c).to_str().unwrap().into()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = playbook(&args);
        let err = stderr(&out);
        assert_ne!(out.status.code(), Some(0), "{file}: {err}");
        assert!(err.contains(expect), "{file}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn sessions_in_a_profile_are_checked_like_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let brand = dir.path().join("b.yaml");
    std::fs::write(
        &brand,
        "brand:\n  name: x\nsessions:\n  - date: 2026-11-01 19:00\n    gmv: 100\n  - date: 2026-11-31\n",
    )
    .unwrap();
    let out = playbook(&[
        "run",
        "readiness",
        "--brand",
        brand.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("b.yaml:6:11: sessions[1].date: invalid value"),
        "{err}"
    );
}

#[test]
fn the_example_export_matches_its_brands_last_30_days() {
    // The README's example: greenleaf-nuts' October sessions add up to about what its
    // profile's `history` reports for the same 30 days.
    let imported =
        read_sessions(&root().join("examples/sessions/greenleaf-nuts.csv"), None).unwrap();
    assert_eq!(imported.sessions.len(), 20);
    let total = |f: fn(&playbook_engine::profile::Session) -> f64| -> f64 {
        imported.sessions.iter().map(f).sum()
    };
    let gmv = total(|s| s.gmv.map_or(0.0, |g| g.0));
    let spend = total(|s| s.ad_spend.map_or(0.0, |g| g.0));
    assert!((gmv / 310_000.0 - 1.0).abs() < 0.1, "{gmv}");
    assert!((spend / 120_000.0 - 1.0).abs() < 0.1, "{spend}");
}

#[test]
fn of_two_headers_for_one_field_the_more_telling_is_read() {
    let dir = tempfile::tempdir().unwrap();
    // 观看人数 (people) stands before 观看人次 (room entries), the field's measure.
    let both = dir.path().join("both.csv");
    std::fs::write(
        &both,
        "开播时间,观看人数,观看人次\n2026-11-01 19:00,5000,8000\n",
    )
    .unwrap();
    let imported = read_sessions(&both, None).unwrap();
    assert_eq!(imported.sessions[0].viewers.map(|v| v.0), Some(8000));
    assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
    assert!(
        imported.warnings[0].contains(
            "column B (`观看人数`) is not read: column C (`观看人次`) gives the same field"
        ),
        "{:?}",
        imported.warnings
    );
    // The same header twice cannot be settled.
    let twice = dir.path().join("twice.csv");
    std::fs::write(&twice, "日期,成交金额,成交金额(元)\n2026-11-01,1,2\n").unwrap();
    let err = read_sessions(&twice, None).unwrap_err().to_string();
    assert!(
        err.contains(
            "twice.csv: row 1, column C: `成交金额(元)` and column B (`成交金额`) both give `gmv`"
        ),
        "{err}"
    );
}
