//! The portfolio overview a batch run writes beside the brands' folders: one row per brand
//! (readiness score and level, the play and pricing model chosen, the top blocker, each
//! playbook's verdict), sorted by readiness, with the count per level and the blockers most
//! common across the portfolio. Markdown, PDF, JSON and CSV (UTF-8 with a byte-order mark,
//! so a spreadsheet opens it as Unicode, and column names in the report's language).

use crate::error::{Error, Result};
use crate::render::escape_markdown;
use crate::report::{Lang, Report, Status};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One brand's line.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The profile's file name without its extension: its folder under `<out>`.
    pub file: String,
    pub brand: String,
    pub score: Option<i64>,
    /// The readiness verdict (id) and its words.
    pub level: String,
    pub level_label: String,
    pub play: Option<String>,
    pub pricing: Option<String>,
    pub top_blocker: Option<String>,
    /// Each playbook run: its id, title and verdict in words.
    pub verdicts: Vec<Verdict>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub playbook: String,
    pub title: String,
    pub verdict: String,
    pub label: String,
}

/// The whole overview, as the JSON holds it.
#[derive(Debug, Clone, Serialize)]
pub struct Portfolio {
    pub lang: Lang,
    pub brands: usize,
    pub rows: Vec<Row>,
    /// Readiness levels with how many brands reached each, best level first.
    pub levels: Vec<(String, usize)>,
    /// The blockers most brands share, with how many brands each blocks.
    pub blockers: Vec<(String, usize)>,
}

/// A brand's row from its reports; `readiness`, `play` and `pricing` are those
/// playbooks' reports whether or not the run selected them.
pub fn row(
    brand_file: &Path,
    reports: &[Report],
    readiness: &Report,
    play: Option<&Report>,
    pricing: Option<&Report>,
) -> Row {
    let blocked = readiness
        .items
        .iter()
        .find(|i| i.status == Status::Blocked)
        .map(|i| i.title.clone());
    Row {
        file: crate::profile::Profile::slug(brand_file),
        brand: readiness.brand.clone(),
        score: readiness.scorecard.as_ref().map(|s| s.overall),
        level: readiness.verdict.clone(),
        level_label: readiness.verdict_label.clone(),
        play: play.map(|r| r.verdict_label.clone()),
        pricing: pricing.map(|r| r.verdict_label.clone()),
        top_blocker: blocked,
        verdicts: reports
            .iter()
            .map(|r| Verdict {
                playbook: r.playbook.clone(),
                title: r.title.clone(),
                verdict: r.verdict.clone(),
                label: r.verdict_label.clone(),
            })
            .collect(),
    }
}

/// Every blocked readiness check of a brand, by title: what the portfolio counts.
pub fn blockers_of(readiness: &Report) -> Vec<String> {
    readiness
        .items
        .iter()
        .filter(|i| i.status == Status::Blocked)
        .map(|i| i.title.clone())
        .collect()
}

/// The overview: rows by readiness score (highest first, unscored last, then by file
/// name), levels in the order the scorecard ranks them, blockers by how many brands they
/// block (then by name).
pub fn build(mut rows: Vec<Row>, blockers: Vec<Vec<String>>, lang: Lang) -> Portfolio {
    rows.sort_by(|a, b| {
        b.score
            .unwrap_or(-1)
            .cmp(&a.score.unwrap_or(-1))
            .then_with(|| a.file.cmp(&b.file))
    });
    const ORDER: [&str; 4] = [
        "ready-to-scale",
        "can-start",
        "not-ready",
        "insufficient-data",
    ];
    let mut levels: Vec<(String, String, usize)> = Vec::new();
    for r in &rows {
        match levels.iter_mut().find(|(id, _, _)| *id == r.level) {
            Some(l) => l.2 += 1,
            None => levels.push((r.level.clone(), r.level_label.clone(), 1)),
        }
    }
    levels.sort_by_key(|(id, _, _)| ORDER.iter().position(|o| o == id).unwrap_or(ORDER.len()));
    let mut counted: Vec<(String, usize)> = Vec::new();
    for titles in &blockers {
        let mut seen: Vec<&String> = Vec::new();
        for t in titles {
            if seen.contains(&t) {
                continue;
            }
            seen.push(t);
            match counted.iter_mut().find(|(name, _)| name == t) {
                Some(c) => c.1 += 1,
                None => counted.push((t.clone(), 1)),
            }
        }
    }
    counted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counted.truncate(10);
    Portfolio {
        lang,
        brands: rows.len(),
        rows,
        levels: levels.into_iter().map(|(_, label, n)| (label, n)).collect(),
        blockers: counted,
    }
}

fn words(lang: Lang) -> [&'static str; 13] {
    match lang {
        Lang::Zh => [
            "品牌组合总览",
            "品牌",
            "准备度",
            "等级",
            "打法",
            "定价模型",
            "首要受阻项",
            "各等级的品牌数",
            "最常见的受阻项",
            "品牌数",
            "资料文件",
            "按准备度得分从高到低排列；每个品牌的完整报告在它自己的文件夹里。",
            "受阻项",
        ],
        Lang::En => [
            "Portfolio overview",
            "Brand",
            "Readiness",
            "Level",
            "Play",
            "Pricing model",
            "Top blocker",
            "Brands per level",
            "The most common blockers",
            "Brands",
            "Profile file",
            "Sorted by readiness score, highest first; each brand's full reports are in its own folder.",
            "Blocker",
        ],
    }
}

fn md_text(s: &str) -> String {
    let mut out = Vec::new();
    let _ = escape_markdown(s, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// The overview as Markdown (every text from a profile escaped).
pub fn markdown(p: &Portfolio) -> String {
    let w = words(p.lang);
    let dash = "—".to_string();
    let mut out = format!("# {}\n\n{}\n\n", w[0], w[11]);
    out.push_str(&format!(
        "| {} | {} | {} | {} | {} | {} |\n| --- | ---: | --- | --- | --- | --- |\n",
        w[1], w[2], w[3], w[4], w[5], w[6]
    ));
    for r in &p.rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            md_text(&r.brand),
            r.score.map_or(dash.clone(), |s| s.to_string()),
            md_text(&r.level_label),
            md_text(r.play.as_ref().unwrap_or(&dash)),
            md_text(r.pricing.as_ref().unwrap_or(&dash)),
            md_text(r.top_blocker.as_ref().unwrap_or(&dash)),
        ));
    }
    out.push_str(&format!(
        "\n## {}\n\n| {} | {} |\n| --- | ---: |\n",
        w[7], w[3], w[9]
    ));
    for (label, n) in &p.levels {
        out.push_str(&format!("| {} | {n} |\n", md_text(label)));
    }
    if !p.blockers.is_empty() {
        out.push_str(&format!(
            "\n## {}\n\n| {} | {} |\n| --- | ---: |\n",
            w[8], w[12], w[9]
        ));
        for (title, n) in &p.blockers {
            out.push_str(&format!("| {} | {n} |\n", md_text(title)));
        }
    }
    out
}

/// The overview as CSV: a byte-order mark, then one row per brand with every playbook's
/// verdict in its own column (the columns of the first row's playbooks).
pub fn csv(p: &Portfolio) -> Result<Vec<u8>> {
    let w = words(p.lang);
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = ::csv::Writer::from_writer(&mut bytes);
        let playbooks: Vec<&Verdict> = p
            .rows
            .first()
            .map(|r| r.verdicts.iter().collect())
            .unwrap_or_default();
        let mut head = vec![w[10], w[1], w[2], w[3], w[4], w[5], w[6]]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>();
        head.extend(playbooks.iter().map(|v| v.title.clone()));
        let fail = |e: ::csv::Error| Error::Usage(format!("portfolio CSV: {e}"));
        writer.write_record(&head).map_err(fail)?;
        for r in &p.rows {
            let mut rec = vec![
                r.file.clone(),
                r.brand.clone(),
                r.score.map_or(String::new(), |s| s.to_string()),
                r.level_label.clone(),
                r.play.clone().unwrap_or_default(),
                r.pricing.clone().unwrap_or_default(),
                r.top_blocker.clone().unwrap_or_default(),
            ];
            for v in &playbooks {
                rec.push(
                    r.verdicts
                        .iter()
                        .find(|x| x.playbook == v.playbook)
                        .map(|x| x.label.clone())
                        .unwrap_or_default(),
                );
            }
            writer.write_record(&rec).map_err(fail)?;
        }
        writer.flush().map_err(|e| Error::io("portfolio.csv", e))?;
    }
    Ok(bytes)
}

/// `<out>/portfolio.<lang>.<ext>` for each format asked for, and the CSV always.
pub fn files(
    p: &Portfolio,
    out: &Path,
    formats: &[crate::render::Format],
    page_size: md2pdf::PageSize,
    fonts: &[PathBuf],
) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    use crate::render::Format;
    let name = |ext: &str| out.join(format!("portfolio.{}.{ext}", p.lang.code()));
    let md = markdown(p);
    let mut files = Vec::new();
    for f in formats {
        match f {
            Format::Markdown => files.push((name("md"), md.clone().into_bytes())),
            Format::Json => {
                let mut json = serde_json::to_vec_pretty(p)
                    .map_err(|e| Error::Usage(format!("portfolio JSON: {e}")))?;
                json.push(b'\n');
                files.push((name("json"), json));
            }
            Format::Pdf => {
                let title = words(p.lang)[0];
                let options =
                    crate::render::pdf_options(title, title, title, p.lang, page_size, fonts);
                let pdf = md2pdf::render(&md, &options).map_err(|e| Error::Pdf(e.to_string()))?;
                files.push((name("pdf"), pdf.bytes));
            }
            _ => {}
        }
    }
    files.push((name("csv"), csv(p)?));
    Ok(files)
}
