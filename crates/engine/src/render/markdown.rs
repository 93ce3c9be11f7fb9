//! Markdown through tera templates.
//!
//! Every value a template prints is escaped so that it reads literally in CommonMark: a
//! brand called `{{ x }} | # *y* <b>` prints exactly that. Templates write the Markdown
//! structure; data never adds any.

use super::{Format, Rendered, Renderer};
use crate::error::{Error, Location, Result};
use crate::library::TemplateFile;
use crate::report::{Lang, Report};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Template names end in `.md`; those are escaped for Markdown.
const TEMPLATE_SUFFIX: &str = ".md";
/// UI words of the layout in each language (headings, status names).
const LABELS: &str = "labels.yaml";
const DEFAULT_TEMPLATE: &str = "default.md";

/// Longest one template may take to render, before [`RENDER_TIME_PER_ITEM`]. The bundled
/// ones take milliseconds; a template from `--templates` with loops nested over the
/// catalogue or a text doubled in a loop is stopped here with an error naming it.
pub const MAX_RENDER_TIME: Duration = Duration::from_secs(2);
/// The most one template may write, before [`RENDER_BYTES_PER_ITEM`].
pub const MAX_RENDER_BYTES: usize = 64 * 1024 * 1024;
/// What each item of a report adds to the limits: the bundled templates take well under
/// 0.1 ms and write about 1 KB an item (a 10,000-product pricing report has 25,000 items), so a
/// real catalogue renders with room to spare while a loop over loops is still stopped.
pub const RENDER_TIME_PER_ITEM: Duration = Duration::from_millis(2);
pub const RENDER_BYTES_PER_ITEM: usize = 8 * 1024;

/// How long a render may take and how much it may write, for a report of `items` items.
#[derive(Debug, Clone, Copy)]
struct RenderLimits {
    time: Duration,
    bytes: usize,
}

impl RenderLimits {
    fn for_items(items: usize) -> RenderLimits {
        let items = items.min(1_000_000);
        RenderLimits {
            time: MAX_RENDER_TIME + RENDER_TIME_PER_ITEM * items as u32,
            bytes: MAX_RENDER_BYTES + RENDER_BYTES_PER_ITEM * items,
        }
    }
}

/// Writes `input` so that CommonMark (with GFM tables) shows it as plain text, on one line.
///
/// ```
/// let mut out = Vec::new();
/// playbook_engine::render::escape_markdown("{{ x }} | # *y* <b>\0", &mut out).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), r"{{ x }} \| \# \*y\* \<b\>");
/// ```
pub fn escape_markdown(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    // A value may start a line, where `- x`, `+ x`, `1. x`, `---` or `===` would open a block.
    let indent = input.len() - input.trim_start().len();
    let head = &input[indent..];
    let opens_after = |rest: &str| rest.is_empty() || rest.starts_with(char::is_whitespace);
    let digits = head.bytes().take_while(u8::is_ascii_digit).count();
    let block_opener = match head.chars().next() {
        Some(c @ ('-' | '+' | '=')) if opens_after(&head[1..]) || head[1..].starts_with(c) => {
            Some(indent)
        }
        _ if (1..=9).contains(&digits)
            && head[digits..].starts_with(['.', ')'])
            && opens_after(&head[digits + 1..]) =>
        {
            Some(indent + digits)
        }
        _ => None,
    };
    let mut buf = [0u8; 4];
    for (i, c) in input.char_indices() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!' => {
                out.write_all(&[b'\\', c as u8])?
            }
            '\r' => {}
            // Keep everything on the line the template put it on.
            '\n' | '\t' => out.write_all(b" ")?,
            // Other control characters (a NUL in a YAML string) never reach a document.
            c if c.is_control() => {}
            _ if Some(i) == block_opener => out.write_all(&[b'\\', c as u8])?,
            c => out.write_all(c.encode_utf8(&mut buf).as_bytes())?,
        }
    }
    Ok(())
}

/// Markdown output, with templates compiled once.
pub struct MarkdownRenderer {
    /// Shared with the thread each render runs on (see [`render_bounded`]).
    tera: Arc<tera::Tera>,
    /// Some template comes from a user's folder: render on a thread of its own, so that
    /// a loop that writes nothing is still stopped by the clock. The bundled templates
    /// render in place (a thread per render cost a third of the time), bounded by the
    /// writer alone.
    isolate: bool,
    labels: BTreeMap<String, serde_json::Value>,
    /// Playbooks that name their template, by playbook id.
    chosen: BTreeMap<String, String>,
}

impl MarkdownRenderer {
    /// Compiles the templates and reads `labels.yaml`.
    pub fn new(templates: &[TemplateFile]) -> Result<MarkdownRenderer> {
        let mut tera = tera::Tera::default();
        tera.set_escape_fn(escape_markdown);
        tera.register_filter("bars", bars_filter);
        tera.register_filter("fenced", fenced_filter);
        tera.register_filter("trend", trend_filter);
        tera.autoescape_on(vec![TEMPLATE_SUFFIX]);
        let sources: Vec<(&str, &str)> = templates
            .iter()
            .filter(|t| t.name.ends_with(TEMPLATE_SUFFIX))
            .map(|t| (t.name.as_str(), t.text.as_str()))
            .collect();
        tera.add_raw_templates(sources)
            .map_err(|e| template_error(templates, &e))?;

        let labels_file =
            templates
                .iter()
                .find(|t| t.name == LABELS)
                .ok_or_else(|| Error::Template {
                    location: Location::file(LABELS),
                    message: "the templates have no labels.yaml".into(),
                })?;
        let labels = yaml_serde::from_str(&labels_file.text).map_err(|e| {
            let Error::Profile { location, message } =
                crate::profile::yaml_error(&labels_file.source, &e)
            else {
                unreachable!("yaml_error builds a located error")
            };
            Error::Template { location, message }
        })?;
        let renderer = MarkdownRenderer {
            isolate: templates.iter().any(|t| !t.bundled),
            tera: Arc::new(tera),
            labels,
            chosen: BTreeMap::new(),
        };
        if !renderer.tera.contains_template(DEFAULT_TEMPLATE) {
            return Err(Error::Template {
                location: Location::file(DEFAULT_TEMPLATE),
                message: "the templates have no default.md".into(),
            });
        }
        for lang in Lang::ALL {
            if !renderer.labels.contains_key(lang.code()) {
                return Err(Error::Template {
                    location: Location::file(&labels_file.source),
                    message: format!("labels.yaml has no `{}` section", lang.code()),
                });
            }
        }
        Ok(renderer)
    }

    /// The layout's words (`labels.yaml`) in one language.
    pub fn labels(&self, lang: Lang) -> &serde_json::Value {
        &self.labels[lang.code()]
    }

    /// Compiles a library's templates, and renders each playbook with the template it
    /// names.
    pub fn for_library(library: &crate::library::Library) -> Result<MarkdownRenderer> {
        let mut renderer = MarkdownRenderer::new(library.templates())?;
        for playbook in library.playbooks() {
            if let Some(name) = &playbook.template {
                renderer.chosen.insert(playbook.id.clone(), name.clone());
            }
        }
        Ok(renderer)
    }

    /// The template a report renders with: the one its playbook names, else the
    /// playbook's own (`<id>.md`) when it exists, else the default.
    pub fn template_for(&self, report: &Report) -> String {
        if let Some(name) = self.chosen.get(&report.playbook) {
            return name.clone();
        }
        let own = format!("{}{TEMPLATE_SUFFIX}", report.playbook);
        if self.tera.contains_template(&own) {
            own
        } else {
            DEFAULT_TEMPLATE.to_string()
        }
    }

    /// The report's Markdown, with its template.
    pub fn text(&self, report: &Report) -> Result<String> {
        self.render_with(report, &self.template_for(report))
    }

    /// Renders with a given template name.
    pub fn render_with(&self, report: &Report, template: &str) -> Result<String> {
        self.render_in(report, template, false)
    }

    /// A report as a chapter of a client deck: its own template, without the brand in
    /// its title or the assumptions and footer the deck's appendix gathers.
    pub fn chapter(&self, report: &Report) -> Result<String> {
        self.render_in(report, &self.template_for(report), true)
    }

    /// A client deck: `deck.md` with the deck's data, its chapters' Markdown and the
    /// roadmap's timeline lines.
    pub fn deck(
        &self,
        deck: &crate::deck::Deck,
        chapters: &[String],
        gantt: &[String],
        template: &str,
    ) -> Result<String> {
        let error = |message: String| Error::Template {
            location: Location::file(format!("templates/{template}")),
            message,
        };
        if !self.tera.contains_template(template) {
            return Err(error(format!("the templates have no {template}")));
        }
        let mut context = tera::Context::from_serialize(deck).map_err(|e| error(e.to_string()))?;
        context.insert("t", &self.labels[deck.lang.code()]);
        // Rendered by their own templates, which escaped every value already.
        let chapters: Vec<tera::Value> = chapters
            .iter()
            .map(|c| tera::Value::safe_string(c.trim_end()))
            .collect();
        context.insert("chapters", &chapters);
        // Its labels are made safe for the fence where the lines are built.
        context.insert("gantt", &tera::Value::safe_string(&gantt.join("\n")));
        let items = deck.reports.iter().map(|r| r.items.len()).sum::<usize>() + deck.products.len();
        let text = render_bounded(
            &self.tera,
            self.isolate,
            template,
            context,
            RenderLimits::for_items(items),
        )
        .map_err(error)?;
        Ok(tidy(&text))
    }

    fn render_in(&self, report: &Report, template: &str, in_deck: bool) -> Result<String> {
        let mut context = tera::Context::from_serialize(report).map_err(|e| Error::Template {
            location: Location::file(template),
            message: e.to_string(),
        })?;
        context.insert("in_deck", &in_deck);
        context.insert("t", &self.labels[report.lang.code()]);
        // The action list's items in order, so a template need not search the items for
        // each action (quadratic on a large catalogue).
        let action_items: Vec<&crate::report::Item> = report.ranked_actions().collect();
        context.insert("action_items", &action_items);
        let limits = RenderLimits::for_items(report.items.len());
        let text = render_bounded(&self.tera, self.isolate, template, context, limits).map_err(
            |message| Error::Template {
                location: Location::file(format!("templates/{template}")),
                message,
            },
        )?;
        Ok(tidy(&text))
    }
}

impl Renderer for MarkdownRenderer {
    fn format(&self) -> Format {
        Format::Markdown
    }

    fn render(&self, report: &Report) -> Result<Rendered> {
        Ok(self.text(report)?.into_bytes().into())
    }
}

/// Renders `template` within `limits` (see [`RenderLimits`]), on a thread of its own when
/// `isolate`; the message says which limit stopped it.
///
/// tera has no operation budget, so the time is kept by the clock: output written past the
/// deadline fails at once, and a template that loops without writing is given up on when
/// the time is up (its thread is left to finish or end with the process).
fn render_bounded(
    tera: &Arc<tera::Tera>,
    isolate: bool,
    template: &str,
    context: tera::Context,
    limits: RenderLimits,
) -> std::result::Result<String, String> {
    let deadline = Instant::now() + limits.time;
    let render = move |tera: &tera::Tera, name: &str, context: &tera::Context| {
        let mut out = Bounded {
            bytes: Vec::new(),
            deadline,
            limits,
            writes: 0,
        };
        let result = tera.render_to(name, context, &mut out);
        result.map(|()| out.bytes).map_err(|e| flatten(&e))
    };
    let utf8 = |bytes: Vec<u8>| {
        String::from_utf8(bytes).map_err(|e| format!("the template wrote invalid UTF-8: {e}"))
    };
    if !isolate {
        return utf8(render(tera, template, &context)?);
    }
    let (send, receive) = std::sync::mpsc::channel();
    let tera = Arc::clone(tera);
    let name = template.to_string();
    let worker = move || {
        // The receiver is gone only when the time was up; nothing is left to tell.
        let _ = send.send(render(&tera, &name, &context));
    };
    std::thread::Builder::new()
        .name(format!("template {template}"))
        .spawn(worker)
        .map_err(|e| format!("cannot start rendering: {e}"))?;
    match receive.recv_timeout(limits.time) {
        Ok(result) => utf8(result?),
        Err(_) => Err(over_time(limits)),
    }
}

fn over_time(limits: RenderLimits) -> String {
    format!(
        "still rendering after {:.1} s: the template does too much work (loops nested too deep, or a text that keeps growing)",
        limits.time.as_secs_f64()
    )
}

/// A template's output, refusing to grow past its size limit or its deadline.
struct Bounded {
    bytes: Vec<u8>,
    deadline: Instant,
    limits: RenderLimits,
    /// Writes since the clock was last read: escaping writes a character at a time, and
    /// reading the clock for each would cost more than the writing.
    writes: u32,
}

impl Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > self.limits.bytes {
            return Err(std::io::Error::other(format!(
                "the template writes more than {} MB",
                self.limits.bytes >> 20
            )));
        }
        self.writes += 1;
        if self.writes >= 4096 {
            self.writes = 0;
            if Instant::now() > self.deadline {
                return Err(std::io::Error::other(over_time(self.limits)));
            }
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Text made safe for one line inside a fenced block (a cover, a timeline): no line
/// breaks or control characters, no backticks that could close the fence, and `|`
/// (a timeline's separator) as its full-width form.
fn fence_line(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '`' => '\'',
            '|' => '｜',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// `{{ value | fenced }}`: a value for a line inside a fenced block, unescaped but made
/// safe by [`fence_line`].
fn fenced_filter(value: &str, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    tera::Value::safe_string(&fence_line(value))
}

/// `{{ section.chart | trend }}`: the lines of a fenced `trend` block (docs/deck.md):
/// the points, then one line per series with its values as printed and its reference
/// lines. Meant for inside a code fence: every text is made safe by [`fence_line`].
fn trend_filter(chart: &tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    let list = |v: &tera::Value, key: &str| -> Vec<tera::Value> {
        v.get_from_path(key)
            .and_then(|v| v.as_array())
            .map(<[tera::Value]>::to_vec)
            .unwrap_or_default()
    };
    let text = |v: &tera::Value, key: &str| -> String {
        v.get_from_path(key)
            .and_then(|v| v.as_str())
            .unwrap_or("—")
            .to_string()
    };
    // A point or a value is one word of the block.
    let word = |s: &str| {
        fence_line(s)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-")
    };
    let mut out = String::from("@");
    for p in list(chart, "points") {
        out.push(' ');
        out.push_str(&word(p.as_str().unwrap_or("—")));
    }
    for s in list(chart, "series") {
        out.push('\n');
        out.push_str(&fence_line(&text(&s, "label")).replace('｜', "/"));
        out.push_str(" |");
        for d in list(&s, "display") {
            out.push(' ');
            out.push_str(&word(d.as_str().unwrap_or("—")));
        }
        for r in list(&s, "references") {
            out.push_str(&format!(
                " | {} {}",
                fence_line(&text(&r, "label")),
                word(&text(&r, "display"))
            ));
        }
    }
    tera::Value::safe_string(&out)
}

/// `{{ scorecard.dimensions | bars }}`: the lines of a fenced `bars` block, one per
/// dimension (label, text bar, score). Meant for inside a code fence, so not escaped.
fn bars_filter(dims: &[tera::Value], _: tera::Kwargs, _: &tera::State) -> tera::Value {
    // A dimension with no check to score yet has no bar: it has no score.
    let scored = |d: &&tera::Value| {
        d.get_from_path("checks")
            .and_then(|v| v.as_i64())
            .is_none_or(|n| n > 0)
    };
    let rows = dims.iter().filter(scored).map(|d| {
        let label = d
            .get_from_path("label")
            .and_then(|v| v.as_str())
            .unwrap_or("");
        let score = d
            .get_from_path("score")
            .and_then(|v| v.as_i64())
            .unwrap_or(0);
        (label, score)
    });
    tera::Value::safe_string(super::width::bar_chart(rows).trim_end())
}

/// No trailing spaces, at most one blank line in a row, one newline at the end.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn flatten(e: &tera::Error) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message.replace('\n', " ")
}

fn template_error(templates: &[TemplateFile], e: &tera::Error) -> Error {
    let message = flatten(e);
    // Name the file the message mentions, if any.
    let file = templates
        .iter()
        .find(|t| message.contains(&t.name))
        .map(|t| t.source.clone())
        .unwrap_or_else(|| "templates".into());
    Error::Template {
        location: Location::file(file),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str) -> String {
        let mut out = Vec::new();
        escape_markdown(s, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_what_markdown_would_interpret() {
        assert_eq!(esc("{{ x }} | # *y* <b>"), r"{{ x }} \| \# \*y\* \<b\>");
        assert_eq!(esc("- item"), r"\- item");
        assert_eq!(esc("1. first"), r"1\. first");
        assert_eq!(esc("0.2"), "0.2");
        assert_eq!(esc("-5"), "-5");
        assert_eq!(esc("---"), r"\---");
        assert_eq!(esc("a\nb"), "a b");
        assert_eq!(esc("粉丝 320 < 1000"), r"粉丝 320 \< 1000");
        assert_eq!(esc("4.6 - 2"), "4.6 - 2");
        assert_eq!(esc("[link](x) &amp;"), r"\[link\](x) \&amp;");
    }
}
