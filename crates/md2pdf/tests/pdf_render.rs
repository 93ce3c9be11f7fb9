//! Renders documents through the library API and checks every PDF with independent
//! readers: `pdftotext`, `qpdf --check`, `mutool draw` and `pdfinfo`.

use std::path::Path;
use std::process::Command;

use md2pdf::{render, PageSize, PdfError, PdfOptions, RenderedPdf};

fn options() -> PdfOptions {
    PdfOptions {
        title: "直播带货策略报告".into(),
        header: "花漾美妆".into(),
        subject: "策略".into(),
        author: "playbook".into(),
        date: Some("2024-06-01".into()),
        ..PdfOptions::default()
    }
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} is needed by the tests: {e}"));
    assert!(
        out.status.success(),
        "{cmd} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Writes the PDF, checks it with qpdf and mutool, and returns `pdftotext` output per page.
fn check(pdf: &RenderedPdf, dir: &Path, name: &str) -> Vec<String> {
    let path = dir.join(name);
    std::fs::write(&path, &pdf.bytes).unwrap();
    let p = path.to_str().unwrap();
    run("qpdf", &["--check", p]);
    let png = dir.join(format!("{name}-%d.png"));
    run(
        "mutool",
        &["draw", "-q", "-r", "20", "-o", png.to_str().unwrap(), p],
    );
    for page in 1..=pdf.pages {
        assert!(
            dir.join(format!("{name}-{page}.png")).exists(),
            "page {page} drawn"
        );
    }
    let text = run("pdftotext", &["-layout", p, "-"]);
    let pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    assert!(pages.len() >= pdf.pages);
    pages[..pdf.pages].to_vec()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn chinese_report_round_trips_through_pdftotext() {
    let dir = tempfile::tempdir().unwrap();
    let md = include_str!("fixtures/sample-zh.md");
    let pdf = render(md, &options()).unwrap();
    assert!(pdf.warnings.is_empty(), "{:?}", pdf.warnings);
    let pages = check(&pdf, dir.path(), "zh.pdf");
    let all = squash(&pages.concat());
    for needle in [
        "「花漾美妆」直播带货策略报告",
        "粉丝320<1000的直播间",
        "S级店铺",
        "ROI2.5",
        "“素材—直播间—商品”",
        "玻尿酸补水面膜（10片装）",
        "数据复盘30",
    ] {
        assert!(all.contains(needle), "missing {needle}");
    }
    // Reading order: sections appear in source order.
    let a = all.find("一、店铺现状诊断").unwrap();
    let b = all.find("二、商品策略").unwrap();
    let c = all.find("五、附录").unwrap();
    assert!(a < b && b < c);
    // Running header and footer on every page.
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains("花漾美妆"), "header on page {}", i + 1);
        let footer = format!("{}/{}", i + 1, pdf.pages);
        assert!(squash(page).ends_with(&footer), "footer on page {}", i + 1);
    }
}

#[test]
fn english_report_and_raw_html_literal() {
    let dir = tempfile::tempdir().unwrap();
    let md = include_str!("fixtures/sample-en.md");
    let pdf = render(
        md,
        &PdfOptions {
            language: "en".into(),
            ..options()
        },
    )
    .unwrap();
    let text = check(&pdf, dir.path(), "en.pdf").concat();
    assert!(text.contains("Bloom Beauty: Live Commerce Strategy Report"));
    assert!(text.contains("<b>bold</b>"), "raw HTML printed literally");
    assert!(text.contains("<script>alert(1)</script>"));
    let squashed = squash(&text);
    assert!(squashed.contains("Theshopisrated"));
}

#[test]
fn escapes_come_out_literally() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render(r"\*not emphasis\* and \<div\> 价格 \# 1", &options()).unwrap();
    let text = check(&pdf, dir.path(), "esc.pdf").concat();
    assert!(text.contains("*not emphasis* and <div>"), "{text}");
}

#[test]
fn table_header_repeats_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let mut md = String::from("# 商品表\n\n| 商品名称 | 价格 | 说明 |\n|---|---:|---|\n");
    for i in 0..120 {
        md.push_str(&format!(
            "| 商品 {i} 号 | {i}.9 元 | 适合直播间引流的 Product {i} |\n"
        ));
    }
    let pdf = render(&md, &options()).unwrap();
    assert!(pdf.pages >= 2, "table spans pages");
    let pages = check(&pdf, dir.path(), "table.pdf");
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains("商品名称"), "header row on page {}", i + 1);
    }
    let all = squash(&pages.concat());
    assert!(all.contains("商品119号"));
}

#[test]
fn task_lists_are_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render("- [x] 已完成 done\n- [ ] 待办 todo\n", &options()).unwrap();
    let text = check(&pdf, dir.path(), "tasks.pdf").concat();
    assert!(text.contains("已完成 done") && text.contains("待办 todo"));
    // Check boxes are vector paths, not glyphs: no box characters in the text.
    assert!(!text.contains('☐') && !text.contains('☑'));
}

#[test]
fn same_input_gives_same_bytes() {
    let md = include_str!("fixtures/sample-zh.md");
    let a = render(md, &options()).unwrap();
    let b = render(md, &options()).unwrap();
    assert_eq!(a.bytes, b.bytes);
}

#[test]
fn threads_share_the_fonts_and_get_the_same_bytes() {
    let md = include_str!("fixtures/sample-zh.md");
    let alone = render(md, &options()).unwrap().bytes;
    let together: Vec<Vec<u8>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| render(md, &options()).unwrap().bytes))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(together.iter().all(|b| *b == alone));
}

#[test]
fn code_is_set_in_the_monospaced_face_through_the_general_subsetter() {
    // DejaVu Sans Mono is a TrueType font: its subset takes the general path.
    let dir = tempfile::tempdir().unwrap();
    let pdf = render("Run `playbook check` before 直播.", &options()).unwrap();
    let pages = check(&pdf, dir.path(), "code.pdf");
    assert!(squash(&pages[0]).contains("playbookcheck"), "{pages:?}");
    let fonts = run("pdffonts", &[dir.path().join("code.pdf").to_str().unwrap()]);
    assert!(fonts.contains("DejaVuSansMono"), "{fonts}");
    assert!(fonts.contains("NotoSansCJKsc-Regular"), "{fonts}");
}

#[test]
fn a_huge_brand_name_is_cut_in_the_running_header() {
    // 200,000 characters: the header shows what fits and an ellipsis.
    let dir = tempfile::tempdir().unwrap();
    let opts = PdfOptions {
        header: "椒语".repeat(100_000),
        ..options()
    };
    let pdf = render("# 标题\n\n正文", &opts).unwrap();
    let pages = check(&pdf, dir.path(), "long-header.pdf");
    let first_line = pages[0].lines().next().unwrap_or_default().to_string();
    assert!(first_line.contains("椒语椒语"), "{first_line}");
    assert!(first_line.contains('…'), "{first_line}");
    assert!(
        first_line.chars().filter(|&c| c == '春').count() < 60,
        "{first_line}"
    );
}

#[test]
fn missing_glyph_warns_and_names_the_character() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render("生僻字：𪚥", &options()).unwrap();
    check(&pdf, dir.path(), "missing.pdf");
    assert_eq!(
        pdf.warnings,
        ["U+2A6A5 '𪚥' is not in the bundled font; pass --font FILE"]
    );
}

#[test]
fn fallback_font_errors_name_the_file() {
    let opts = PdfOptions {
        fallback_fonts: vec!["/nonexistent/font.ttf".into()],
        ..options()
    };
    match render("x", &opts) {
        Err(e @ PdfError::FontRead { .. }) => {
            assert!(e.to_string().contains("/nonexistent/font.ttf"))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn letter_size_and_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render(
        "# 标题\n\n正文",
        &PdfOptions {
            page_size: PageSize::Letter,
            ..options()
        },
    )
    .unwrap();
    check(&pdf, dir.path(), "letter.pdf");
    let info = run(
        "pdfinfo",
        &[dir.path().join("letter.pdf").to_str().unwrap()],
    );
    assert!(info.contains("612 x 792 pts"), "{info}");
    assert!(info.contains("直播带货策略报告"), "title: {info}");
    assert!(info.contains("Author:          playbook"), "{info}");

    let a4 = render("正文", &options()).unwrap();
    std::fs::write(dir.path().join("a4.pdf"), &a4.bytes).unwrap();
    let info = run("pdfinfo", &[dir.path().join("a4.pdf").to_str().unwrap()]);
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
}

#[test]
fn outline_follows_headings() {
    let dir = tempfile::tempdir().unwrap();
    let md = "# 报告\n\n## 第一章\n\n文字\n\n### 1.1 小节\n\n## 第二章\n\n文字";
    let pdf = render(md, &options()).unwrap();
    check(&pdf, dir.path(), "outline.pdf");
    let outline = run(
        "mutool",
        &[
            "show",
            dir.path().join("outline.pdf").to_str().unwrap(),
            "outline",
        ],
    );
    let order: Vec<usize> = ["报告", "第一章", "1.1 小节", "第二章"]
        .iter()
        .map(|t| {
            outline
                .find(t)
                .unwrap_or_else(|| panic!("{t} in {outline}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{outline}");
}

#[test]
fn links_are_uri_annotations() {
    let pdf = render("见[规则](https://example.com/rules)。", &options()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    check(&pdf, dir.path(), "link.pdf");
    let p = dir.path().join("link.pdf");
    let q = dir.path().join("link-qdf.pdf");
    let args = [
        "--qdf",
        "--object-streams=disable",
        p.to_str().unwrap(),
        q.to_str().unwrap(),
    ];
    run("qpdf", &args);
    let plain = String::from_utf8_lossy(&std::fs::read(&q).unwrap()).into_owned();
    assert!(plain.contains("/S /URI"), "link action");
    assert!(plain.contains("/URI (https://example.com/rules)"));
}

#[test]
fn empty_and_degenerate_input() {
    let dir = tempfile::tempdir().unwrap();
    for (i, md) in [
        "",
        "   \n\n",
        "，。、；：？！".repeat(200).as_str(),
        &"a".repeat(10_000),
    ]
    .iter()
    .enumerate()
    {
        let pdf = render(md, &options()).unwrap();
        assert!(pdf.pages >= 1);
        check(&pdf, dir.path(), &format!("degenerate{i}.pdf"));
    }
}

/// The operators and operands of `pdf`'s content streams, uncompressed by qpdf.
fn content_ops(pdf: &RenderedPdf, dir: &Path, name: &str) -> Vec<String> {
    let p = dir.join(name);
    let q = dir.join(format!("{name}-qdf.pdf"));
    std::fs::write(&p, &pdf.bytes).unwrap();
    run(
        "qpdf",
        &[
            "--qdf",
            "--object-streams=disable",
            p.to_str().unwrap(),
            q.to_str().unwrap(),
        ],
    );
    let plain = String::from_utf8_lossy(&std::fs::read(&q).unwrap()).into_owned();
    plain.split_whitespace().map(str::to_string).collect()
}

/// Filled rectangles (`re` followed by `f`) in the content streams of `pdf`.
fn filled_rects(pdf: &RenderedPdf, dir: &Path, name: &str) -> usize {
    content_ops(pdf, dir, name)
        .windows(2)
        .filter(|w| w[0] == "re" && w[1] == "f")
        .count()
}

const SCORECARD: &str = "## 准备度 Readiness\n\n```bars\n人员 People   ████████░░  80\n\
    货品 Goods    ██████░░░░  62.5%\n数据 Data     ░░░░░░░░░░   0\n投流 Ads              100/100\n```\n\n结论：先补数据。\n";

#[test]
fn bars_block_is_drawn_with_labels_and_values() {
    let dir = tempfile::tempdir().unwrap();
    for size in [PageSize::A4, PageSize::Letter] {
        let opts = PdfOptions {
            page_size: size,
            ..options()
        };
        let pdf = render(SCORECARD, &opts).unwrap();
        assert!(pdf.warnings.is_empty(), "{:?}", pdf.warnings);
        assert_eq!(pdf.pages, 1);
        let name = format!("bars-{size:?}.pdf");
        let text = check(&pdf, dir.path(), &name).concat();
        for needle in [
            "人员 People",
            "货品 Goods",
            "数据 Data",
            "投流 Ads",
            "80",
            "62.5%",
            "100/100",
            "结论：先补数据。",
        ] {
            assert!(text.contains(needle), "missing {needle:?} in {text}");
        }
        // The text bars are not printed: they are drawn.
        assert!(!text.contains('█') && !text.contains('░'), "{text}");
        // A track per line plus a fill per non-zero value.
        let without = render(
            "## 准备度 Readiness\n\n结论：先补数据。\n",
            &PdfOptions {
                page_size: size,
                ..options()
            },
        )
        .unwrap();
        let with_chart = filled_rects(&pdf, dir.path(), &name);
        let plain = filled_rects(&without, dir.path(), &format!("plain-{name}"));
        assert_eq!(with_chart, plain + 4 + 3, "{size:?}");
    }
}

#[test]
fn malformed_bars_block_is_shown_as_code() {
    let dir = tempfile::tempdir().unwrap();
    let body = "人员 People ░░░░ 80\nno number at the end\n";
    let pdf = render(&format!("```bars\n{body}```\n"), &options()).unwrap();
    let text = squash(&check(&pdf, dir.path(), "bad-bars.pdf").concat());
    assert!(text.contains("人员People"), "{text}");
    assert!(text.contains("80nonumberattheend"), "{text}");
    // Drawn exactly like the same text in an ordinary code block.
    let code = render(&format!("```\n{body}```\n"), &options()).unwrap();
    assert_eq!(
        filled_rects(&pdf, dir.path(), "bad-bars.pdf"),
        filled_rects(&code, dir.path(), "code.pdf")
    );
}

#[test]
fn bars_render_the_same_bytes_twice() {
    let a = render(SCORECARD, &options()).unwrap();
    let b = render(SCORECARD, &options()).unwrap();
    assert_eq!(a.bytes, b.bytes);
}

#[test]
fn justified_english_widens_spaces_only() {
    // Justified lines of English with hyphenated words and a Chinese name in them: the
    // stretch goes into the spaces, never after a hyphen or between Chinese letters.
    let dir = tempfile::tempdir().unwrap();
    let sentence = "A little-known brand prices its cost-based hero item, 年货卤味礼盒, \
                    against its own band, and a flash-sale item by rounds. ";
    let md = format!("# Justified\n\n{}\n", sentence.repeat(6));
    let pdf = render(&md, &options()).unwrap();
    let text = check(&pdf, dir.path(), "justify.pdf").concat();
    for hyphenated in ["little-known", "cost-based", "flash-sale"] {
        assert!(
            !text.contains(&hyphenated.replace('-', "- ")),
            "a gap after the hyphen in {hyphenated}:\n{text}"
        );
    }
    assert!(
        !text.contains("年 货"),
        "a Chinese name spaced out:\n{text}"
    );
    assert!(text.matches("年货卤味礼盒").count() >= 5, "{text}");
}

/// Stroked paths (`S`) in the content streams of `pdf`.
fn stroked_paths(pdf: &RenderedPdf, dir: &Path, name: &str) -> usize {
    content_ops(pdf, dir, name)
        .iter()
        .filter(|op| *op == "S")
        .count()
}

const TREND: &str = "## 趋势 Trend\n\n```trend\n@ 10-03 10-04 10-05 10-07 10-08\n\
    成交金额 GMV | ¥17,196 ¥14,156 — ¥16,321 ¥18,050\nROI | 2.54 2.23 2.87 3.10 2.95 | 目标 2.5\n```\n\n结论：趋势向好。\n";

#[test]
fn trend_block_draws_a_line_per_series_with_its_labels() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render(TREND, &options()).unwrap();
    assert!(pdf.warnings.is_empty(), "{:?}", pdf.warnings);
    assert_eq!(pdf.pages, 1);
    let text = check(&pdf, dir.path(), "trend.pdf").concat();
    for needle in [
        "成交金额 GMV",
        "ROI",
        // The latest value of each series, its highest and lowest, the reference line.
        "¥18,050",
        "¥14,156",
        "2.95",
        "3.10",
        "目标 2.5",
        // The first and last points.
        "10-03",
        "10-08",
        "结论：趋势向好。",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in {text}");
    }
    // The values are drawn, not printed as a row of figures.
    assert!(!text.contains("2.54 2.23"), "{text}");
    // GMV's line breaks at its missing point: two runs; ROI one run and its target
    // line; a base rule under each panel.
    let plain = render("## 趋势 Trend\n\n结论：趋势向好。\n", &options()).unwrap();
    let lines = stroked_paths(&pdf, dir.path(), "trend.pdf")
        - stroked_paths(&plain, dir.path(), "plain.pdf");
    assert_eq!(lines, 2 + 1 + 1 + 2);
    let again = render(TREND, &options()).unwrap();
    assert_eq!(pdf.bytes, again.bytes);
}

#[test]
fn malformed_trend_block_is_shown_as_code() {
    let dir = tempfile::tempdir().unwrap();
    let body = "@ a b\nGMV | 1 2 3\n";
    let pdf = render(&format!("```trend\n{body}```\n"), &options()).unwrap();
    let text = squash(&check(&pdf, dir.path(), "bad-trend.pdf").concat());
    assert!(text.contains("GMV|123"), "{text}");
}
