//! Markdown to a tree of blocks: the only place that knows pulldown-cmark.
//! Raw HTML becomes literal text; containers nested deeper than [`MAX_DEPTH`] are
//! flattened into their parent so that layout recursion stays bounded.

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::bars::{self, Bar};
use super::cover::{self, Cover};
use super::gantt::{self, Row};
use super::linebreak::soft_break;
use super::trend::{self, Trend};

/// Deepest nesting of lists and quotes that is laid out as nesting.
const MAX_DEPTH: usize = 12;

/// Inline styling of a run of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SpanStyle {
    pub strong: bool,
    pub emphasis: bool,
    pub code: bool,
    pub strike: bool,
    /// Index into [`Document::links`].
    pub link: Option<usize>,
}

/// A paragraph's worth of styled characters. `'\n'` is a hard line break.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inline {
    pub chars: Vec<char>,
    pub styles: Vec<SpanStyle>,
}

impl Inline {
    fn push_str(&mut self, text: &str, style: SpanStyle) {
        for c in text.chars() {
            let c = match c {
                '\t' => ' ',
                '\r' | '\n' => ' ',
                c if c.is_control() => continue,
                c => c,
            };
            self.chars.push(c);
            self.styles.push(style);
        }
    }

    fn push_char(&mut self, c: char, style: SpanStyle) {
        self.chars.push(c);
        self.styles.push(style);
    }

    pub fn is_empty(&self) -> bool {
        self.chars.iter().all(|c| c.is_whitespace())
    }

    /// The text without styling, for outlines.
    pub fn plain(&self) -> String {
        self.chars
            .iter()
            .map(|&c| if c == '\n' { ' ' } else { c })
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading {
        level: u8,
        text: Inline,
    },
    Paragraph(Inline),
    Code(String),
    /// A fenced `bars` block that parsed as a bar chart; `source` is its text, for
    /// when the chart cannot be drawn and the block is shown as code instead.
    Bars {
        bars: Vec<Bar>,
        source: String,
    },
    List {
        start: Option<u64>,
        items: Vec<ListItem>,
    },
    Table {
        aligns: Vec<Align>,
        head: Vec<Inline>,
        rows: Vec<Vec<Inline>>,
    },
    Quote(Vec<Block>),
    Rule,
    /// A fenced `newpage` block: what follows starts on a new page.
    PageBreak,
    /// A fenced `cover` block: a page of its own.
    Cover(Cover),
    /// A fenced `gantt` block that parsed as a timeline; `source` as for `Bars`.
    Gantt {
        rows: Vec<Row>,
        source: String,
    },
    /// A fenced `trend` block that parsed as line charts; `source` as for `Bars`.
    Trend {
        trend: Trend,
        source: String,
    },
}

/// What a fenced block's info string asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fence {
    Code,
    Bars,
    Gantt,
    Trend,
    Cover,
    NewPage,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListItem {
    /// `Some(done)` for a task list item.
    pub task: Option<bool>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub blocks: Vec<Block>,
    pub links: Vec<String>,
}

/// An open container while parsing.
enum Frame {
    Root(Vec<Block>),
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<ListItem>,
    },
    Item(ListItem),
    /// A container that was not opened because of nesting depth.
    Flattened,
}

/// What inline text is currently collected into.
enum Leaf {
    None,
    Paragraph,
    Heading(u8),
    /// A code block's text, and what its info string asks for.
    Code(String, Fence),
    Table(TableBuilder),
}

#[derive(Default)]
struct TableBuilder {
    aligns: Vec<Align>,
    head: Vec<Inline>,
    rows: Vec<Vec<Inline>>,
    in_head: bool,
}

struct Builder {
    frames: Vec<Frame>,
    leaf: Leaf,
    inline: Inline,
    style: SpanStyle,
    links: Vec<String>,
    pending_soft_break: bool,
    image_depth: usize,
}

pub fn parse(markdown: &str) -> Document {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
    let mut b = Builder {
        frames: vec![Frame::Root(Vec::new())],
        leaf: Leaf::None,
        inline: Inline::default(),
        style: SpanStyle::default(),
        links: Vec::new(),
        pending_soft_break: false,
        image_depth: 0,
    };
    for event in Parser::new_ext(markdown, options) {
        b.event(event);
    }
    b.finish_leaf();
    while b.frames.len() > 1 {
        b.close_frame();
    }
    let blocks = match b.frames.pop() {
        Some(Frame::Root(blocks)) => blocks,
        _ => Vec::new(),
    };
    Document {
        blocks,
        links: b.links,
    }
}

impl Builder {
    fn depth(&self) -> usize {
        self.frames
            .iter()
            .filter(|f| matches!(f, Frame::Quote(_) | Frame::List { .. }))
            .count()
    }

    fn push_block(&mut self, block: Block) {
        for frame in self.frames.iter_mut().rev() {
            match frame {
                Frame::Root(blocks) | Frame::Quote(blocks) => return blocks.push(block),
                Frame::Item(item) => return item.blocks.push(block),
                Frame::List { items, .. } => {
                    // Loose content directly in a list: give it an item of its own.
                    items.push(ListItem {
                        task: None,
                        blocks: vec![block],
                    });
                    return;
                }
                Frame::Flattened => continue,
            }
        }
    }

    fn text(&mut self, text: &str) {
        if self.image_depth > 0 && text.is_empty() {
            return;
        }
        if matches!(self.leaf, Leaf::None) {
            self.leaf = Leaf::Paragraph;
        }
        if let Leaf::Code(code, _) = &mut self.leaf {
            code.push_str(text);
            return;
        }
        if self.pending_soft_break {
            self.pending_soft_break = false;
            let before = self.inline.chars.last().copied();
            if let Some(c) = soft_break(before, text.chars().next()) {
                self.inline.push_char(c, self.style);
            }
        }
        self.inline.push_str(text, self.style);
    }

    fn take_inline(&mut self) -> Inline {
        self.pending_soft_break = false;
        std::mem::take(&mut self.inline)
    }

    /// Ends the paragraph or heading being collected, if any.
    fn finish_leaf(&mut self) {
        match std::mem::replace(&mut self.leaf, Leaf::None) {
            Leaf::None => {}
            Leaf::Paragraph => {
                let mut inline = self.take_inline();
                while inline.chars.last() == Some(&'\n') {
                    inline.chars.pop();
                    inline.styles.pop();
                }
                if !inline.is_empty() {
                    self.push_block(Block::Paragraph(inline));
                }
            }
            Leaf::Heading(level) => {
                let text = self.take_inline();
                self.push_block(Block::Heading { level, text });
            }
            Leaf::Code(code, Fence::Bars) => match bars::parse(&code) {
                Some(bars) => self.push_block(Block::Bars { bars, source: code }),
                None => self.push_block(Block::Code(code)),
            },
            Leaf::Code(code, Fence::Gantt) => match gantt::parse(&code) {
                Some(rows) => self.push_block(Block::Gantt { rows, source: code }),
                None => self.push_block(Block::Code(code)),
            },
            Leaf::Code(code, Fence::Trend) => match trend::parse(&code) {
                Some(trend) => self.push_block(Block::Trend {
                    trend,
                    source: code,
                }),
                None => self.push_block(Block::Code(code)),
            },
            Leaf::Code(code, Fence::Cover) => match cover::parse(&code) {
                Some(c) => self.push_block(Block::Cover(c)),
                None => self.push_block(Block::Code(code)),
            },
            Leaf::Code(code, Fence::NewPage) if code.trim().is_empty() => {
                self.push_block(Block::PageBreak)
            }
            Leaf::Code(code, _) => self.push_block(Block::Code(code)),
            Leaf::Table(t) => self.push_block(Block::Table {
                aligns: t.aligns,
                head: t.head,
                rows: t.rows,
            }),
        }
    }

    fn close_frame(&mut self) {
        self.finish_leaf();
        let Some(frame) = self.frames.pop() else {
            return;
        };
        match frame {
            Frame::Root(blocks) => self.frames.push(Frame::Root(blocks)),
            Frame::Flattened => {}
            Frame::Quote(blocks) => self.push_block(Block::Quote(blocks)),
            Frame::List { start, items } => self.push_block(Block::List { start, items }),
            Frame::Item(item) => match self
                .frames
                .iter_mut()
                .rev()
                .find(|f| !matches!(f, Frame::Flattened))
            {
                Some(Frame::List { items, .. }) => items.push(item),
                _ => {
                    for block in item.blocks {
                        self.push_block(block);
                    }
                }
            },
        }
    }

    fn open(&mut self, frame: Frame) {
        self.finish_leaf();
        let deep = self.depth() >= MAX_DEPTH;
        self.frames
            .push(if deep { Frame::Flattened } else { frame });
    }

    fn event(&mut self, event: Event) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => {
                let saved = self.style;
                self.style.code = true;
                self.text(&t);
                self.style = saved;
            }
            // Raw HTML is printed literally, never interpreted.
            Event::Html(t) => {
                if matches!(self.leaf, Leaf::None) {
                    self.leaf = Leaf::Paragraph;
                }
                for line in t.split_inclusive('\n') {
                    self.inline
                        .push_str(line.trim_end_matches(['\r', '\n']), self.style);
                    if line.ends_with('\n') {
                        self.inline.push_char('\n', self.style);
                    }
                }
            }
            Event::InlineHtml(t) => self.text(&t),
            Event::SoftBreak => self.pending_soft_break = true,
            Event::HardBreak => {
                if let Leaf::Code(code, _) = &mut self.leaf {
                    code.push('\n');
                } else {
                    self.pending_soft_break = false;
                    self.inline.push_char('\n', self.style);
                }
            }
            Event::Rule => {
                self.finish_leaf();
                self.push_block(Block::Rule);
            }
            Event::TaskListMarker(done) => {
                if let Some(Frame::Item(item)) = self.frames.last_mut() {
                    item.task = Some(done);
                }
            }
            Event::FootnoteReference(t) => self.text(&format!("[{t}]")),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t),
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Paragraph if !matches!(self.leaf, Leaf::Table(_)) => {
                self.finish_leaf();
                self.leaf = Leaf::Paragraph;
            }
            Tag::Heading { level, .. } => {
                self.finish_leaf();
                let level = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                };
                self.leaf = Leaf::Heading(level);
            }
            Tag::CodeBlock(kind) => {
                self.finish_leaf();
                let fence = match kind {
                    CodeBlockKind::Fenced(info) => match info.split_whitespace().next() {
                        Some("bars") => Fence::Bars,
                        Some("gantt") => Fence::Gantt,
                        Some("trend") => Fence::Trend,
                        Some("cover") => Fence::Cover,
                        Some("newpage") => Fence::NewPage,
                        _ => Fence::Code,
                    },
                    CodeBlockKind::Indented => Fence::Code,
                };
                self.leaf = Leaf::Code(String::new(), fence);
            }
            Tag::BlockQuote(_) => self.open(Frame::Quote(Vec::new())),
            Tag::List(start) => self.open(Frame::List {
                start,
                items: Vec::new(),
            }),
            Tag::Item => self.open(Frame::Item(ListItem::default())),
            Tag::Table(aligns) => {
                self.finish_leaf();
                let aligns = aligns
                    .iter()
                    .map(|a| match a {
                        Alignment::Center => Align::Center,
                        Alignment::Right => Align::Right,
                        Alignment::None | Alignment::Left => Align::Left,
                    })
                    .collect();
                self.leaf = Leaf::Table(TableBuilder {
                    aligns,
                    ..TableBuilder::default()
                });
            }
            Tag::TableHead => {
                if let Leaf::Table(t) = &mut self.leaf {
                    t.in_head = true;
                }
            }
            Tag::TableRow => {
                if let Leaf::Table(t) = &mut self.leaf {
                    t.rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                self.take_inline();
            }
            Tag::Emphasis => self.style.emphasis = true,
            Tag::Strong => self.style.strong = true,
            Tag::Strikethrough => self.style.strike = true,
            Tag::Link { dest_url, .. } => {
                self.links.push(dest_url.to_string());
                self.style.link = Some(self.links.len() - 1);
            }
            Tag::Image { .. } => {
                self.image_depth += 1;
                self.text("[");
            }
            Tag::HtmlBlock => {
                self.finish_leaf();
                self.leaf = Leaf::Paragraph;
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph if !matches!(self.leaf, Leaf::Table(_)) => self.finish_leaf(),
            TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::Table => {
                self.finish_leaf()
            }
            TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item => self.close_frame(),
            TagEnd::TableHead => {
                if let Leaf::Table(t) = &mut self.leaf {
                    t.in_head = false;
                }
            }
            TagEnd::TableCell => {
                let cell = self.take_inline();
                if let Leaf::Table(t) = &mut self.leaf {
                    if t.in_head {
                        t.head.push(cell);
                    } else if let Some(row) = t.rows.last_mut() {
                        row.push(cell);
                    }
                }
            }
            TagEnd::Emphasis => self.style.emphasis = false,
            TagEnd::Strong => self.style.strong = false,
            TagEnd::Strikethrough => self.style.strike = false,
            TagEnd::Link => self.style.link = None,
            TagEnd::Image => {
                self.text("]");
                self.image_depth = self.image_depth.saturating_sub(1);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(doc: &Document) -> Vec<String> {
        doc.blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(i) | Block::Heading { text: i, .. } => i.plain(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn soft_break_between_han_adds_no_space() {
        let doc = parse("直播间的\n粉丝数量\nand more\ntext");
        assert_eq!(texts(&doc), ["直播间的粉丝数量 and more text"]);
    }

    #[test]
    fn raw_html_is_literal() {
        let doc = parse("<div>hi</div>\n\npara <b>bold</b>");
        assert_eq!(texts(&doc), ["<div>hi</div>", "para <b>bold</b>"]);
    }

    #[test]
    fn task_list_items() {
        let doc = parse("- [x] done\n- [ ] todo\n- plain");
        let Block::List { items, .. } = &doc.blocks[0] else {
            panic!("{doc:?}")
        };
        let tasks: Vec<_> = items.iter().map(|i| i.task).collect();
        assert_eq!(tasks, [Some(true), Some(false), None]);
    }

    #[test]
    fn table_cells() {
        let doc = parse("| a | b |\n|---|--:|\n| 1 | 2 |\n| 3 | 4 |");
        let Block::Table { aligns, head, rows } = &doc.blocks[0] else {
            panic!("{doc:?}")
        };
        assert_eq!(aligns, &[Align::Left, Align::Right]);
        assert_eq!(head.len(), 2);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1][1].plain(), "4");
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let md = ">".repeat(500) + " deep";
        let doc = parse(&md);
        fn depth(blocks: &[Block]) -> usize {
            blocks
                .iter()
                .map(|b| match b {
                    Block::Quote(inner) => 1 + depth(inner),
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
        }
        assert!(depth(&doc.blocks) <= MAX_DEPTH);
    }
}
