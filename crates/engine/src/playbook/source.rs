//! Where each scalar of a playbook file starts, so a rule's error can point at the line
//! inside the playbook file rather than inside the rule.

use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Start of a scalar's content: 1-based line and column in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    /// A `|` or `>` block: the script's own lines map one-to-one onto file lines, all
    /// indented alike.
    pub block: bool,
}

impl Span {
    /// The file position of `line`:`column` (1-based) inside this scalar's text.
    pub fn offset(self, line: usize, column: usize) -> (usize, usize) {
        let line = line.max(1);
        if line == 1 {
            (self.line, self.column + column.max(1) - 1)
        } else if self.block {
            (self.line + line - 1, self.column + column.max(1) - 1)
        } else {
            // A flow scalar folded over lines; the column is not recoverable.
            (self.line + line - 1, column.max(1))
        }
    }
}

/// Scalar (and collection) positions keyed by their path, e.g. `sections.0.items.2.done_if`.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    spans: HashMap<String, Span>,
}

impl SourceMap {
    /// Builds the map; a file that does not parse gives an empty map (serde reports why).
    pub fn build(text: &str) -> SourceMap {
        let mut walker = Walker::default();
        if Parser::new_from_str(text).load(&mut walker, false).is_err() {
            return SourceMap::default();
        }
        SourceMap {
            spans: walker.spans,
        }
    }

    pub fn get(&self, path: &str) -> Option<Span> {
        self.spans.get(path).copied()
    }
}

enum Frame {
    Map { key: Option<String> },
    Seq { index: usize },
}

#[derive(Default)]
struct Walker {
    stack: Vec<Frame>,
    spans: HashMap<String, Span>,
}

impl Walker {
    fn path(&self) -> String {
        let mut parts = Vec::with_capacity(self.stack.len());
        for frame in &self.stack {
            match frame {
                Frame::Map { key } => parts.push(key.clone().unwrap_or_default()),
                Frame::Seq { index } => parts.push(index.to_string()),
            }
        }
        parts.join(".")
    }

    /// A value (scalar or collection) finished in the innermost frame.
    fn value_done(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Map { key }) => *key = None,
            Some(Frame::Seq { index }) => *index += 1,
            None => {}
        }
    }
}

impl MarkedEventReceiver for Walker {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(value, style, _, _) => {
                if let Some(Frame::Map { key: key @ None }) = self.stack.last_mut() {
                    *key = Some(value);
                    return;
                }
                let quoted = matches!(
                    style,
                    TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted
                );
                let block = matches!(style, TScalarStyle::Literal | TScalarStyle::Folded);
                let span = Span {
                    line: mark.line(),
                    column: mark.col() + 1 + usize::from(quoted),
                    block,
                };
                self.spans.insert(self.path(), span);
                self.value_done();
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                // A collection is found by where it opens.
                self.spans.insert(
                    self.path(),
                    Span {
                        line: mark.line(),
                        column: mark.col() + 1,
                        block: false,
                    },
                );
                self.stack.push(match ev {
                    Event::MappingStart(..) => Frame::Map { key: None },
                    _ => Frame::Seq { index: 0 },
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.value_done();
            }
            Event::Alias(_) => self.value_done(),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_scalars() {
        let text = "id: x\nsections:\n  - id: a\n    items:\n      - id: b\n        done_if: |\n          let y = 1;\n          y > 0\n      - id: c\n        done_if: \"true\"\n";
        let map = SourceMap::build(text);
        let s = map.get("sections.0.items.0.done_if").unwrap();
        assert_eq!((s.line, s.column, s.block), (7, 11, true));
        assert_eq!(s.offset(2, 3), (8, 13));
        let s = map.get("sections.0.items.1.done_if").unwrap();
        assert_eq!((s.line, s.column), (10, 19));
        assert_eq!(map.get("id").unwrap().line, 1);
    }
}
