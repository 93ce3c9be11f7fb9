//! What a font's own positioning table (`GPOS`) says about spacing, for the two features
//! that matter to these documents: kerning between Latin letters (`kern`) and the
//! proportional widths of full-width CJK punctuation (`palt`).
//!
//! Both are read once per face, for a fixed set of characters (Latin letters and
//! punctuation; CJK punctuation), into small maps; nothing is shaped per character at
//! layout time beyond a map lookup.

use rustc_hash::FxHashMap as HashMap;

use ttf_parser::gpos::{PairAdjustment, PositioningSubtable, SingleAdjustment};
use ttf_parser::opentype_layout::LayoutTable;
use ttf_parser::{GlyphId, Tag};

/// Characters kerned against each other: printable ASCII, which is all the Latin text
/// these documents hold in practice (reading more pairs costs every process more than
/// it gives).
pub fn kerns(c: char) -> bool {
    c.is_ascii_graphic()
}

/// Full-width punctuation whose proportional form the font may give.
fn punctuation() -> impl Iterator<Item = char> {
    ('\u{3000}'..='\u{303F}')
        .chain('\u{FF01}'..='\u{FF60}')
        .chain("‘’“”…—".chars())
}

/// A face's spacing adjustments, in font units.
#[derive(Debug, Default)]
pub struct Spacing {
    /// Advance change after the first glyph of a pair.
    kern: HashMap<(u16, u16), i16>,
    /// Proportional form of a punctuation glyph: placement and advance change.
    palt: HashMap<u16, (i16, i16)>,
}

impl Spacing {
    /// Reads `kern` pairs among the Latin glyphs and `palt` values of the punctuation
    /// glyphs; `glyph` is the face's character map.
    pub fn read(face: &ttf_parser::Face<'_>, glyph: impl Fn(char) -> Option<u16>) -> Spacing {
        let Some(gpos) = face.tables().gpos else {
            return Spacing::default();
        };
        let latin: Vec<GlyphId> = ('!'..='~')
            .filter(|&c| kerns(c))
            .filter_map(&glyph)
            .map(GlyphId)
            .collect();
        let marks: Vec<GlyphId> = punctuation().filter_map(&glyph).map(GlyphId).collect();
        let mut spacing = Spacing::default();
        for subtable in subtables(&gpos, b"kern") {
            if let PositioningSubtable::Pair(pair) = subtable {
                spacing.read_pairs(&pair, &latin);
            }
        }
        for subtable in subtables(&gpos, b"palt") {
            if let PositioningSubtable::Single(single) = subtable {
                for &g in &marks {
                    let value = match single {
                        SingleAdjustment::Format1 { coverage, value } => {
                            coverage.get(g).map(|_| value)
                        }
                        SingleAdjustment::Format2 { coverage, values } => {
                            coverage.get(g).and_then(|i| values.get(i))
                        }
                    };
                    if let Some(v) = value {
                        spacing
                            .palt
                            .entry(g.0)
                            .or_insert((v.x_placement, v.x_advance));
                    }
                }
            }
        }
        spacing
    }

    fn read_pairs(&mut self, pair: &PairAdjustment<'_>, latin: &[GlyphId]) {
        match pair {
            PairAdjustment::Format1 { coverage, sets } => {
                for &first in latin {
                    let Some(set) = coverage.get(first).and_then(|i| sets.get(i)) else {
                        continue;
                    };
                    for &second in latin {
                        if let Some((v, _)) = set.get(second).filter(|(v, _)| v.x_advance != 0) {
                            self.add_kern(first, second, v.x_advance);
                        }
                    }
                }
            }
            PairAdjustment::Format2 {
                coverage,
                classes,
                matrix,
            } => {
                // One matrix lookup per pair of classes, not per pair of glyphs.
                let mut firsts: Vec<(u16, Vec<GlyphId>)> = Vec::new();
                for &g in latin.iter().filter(|&&g| coverage.contains(g)) {
                    group(&mut firsts, classes.0.get(g), g);
                }
                if firsts.is_empty() {
                    return;
                }
                let mut seconds: Vec<(u16, Vec<GlyphId>)> = Vec::new();
                for &g in latin {
                    group(&mut seconds, classes.1.get(g), g);
                }
                for (c1, firsts) in &firsts {
                    for (c2, seconds) in &seconds {
                        let Some((v, _)) = matrix.get((*c1, *c2)) else {
                            continue;
                        };
                        if v.x_advance == 0 {
                            continue;
                        }
                        for &first in firsts {
                            for &second in seconds {
                                self.add_kern(first, second, v.x_advance);
                            }
                        }
                    }
                }
            }
        }
    }

    /// The first lookup that speaks of a pair decides it.
    fn add_kern(&mut self, first: GlyphId, second: GlyphId, advance: i16) {
        self.kern.entry((first.0, second.0)).or_insert(advance);
    }

    /// Advance change between two glyphs, in font units.
    pub fn kern(&self, first: u16, second: u16) -> i16 {
        self.kern.get(&(first, second)).copied().unwrap_or(0)
    }

    /// The proportional form of a punctuation glyph: (placement, advance change).
    pub fn palt(&self, glyph: u16) -> Option<(i16, i16)> {
        self.palt.get(&glyph).copied()
    }
}

/// Adds `glyph` to the group of `class`.
fn group(groups: &mut Vec<(u16, Vec<GlyphId>)>, class: u16, glyph: GlyphId) {
    match groups.iter_mut().find(|(c, _)| *c == class) {
        Some((_, glyphs)) => glyphs.push(glyph),
        None => groups.push((class, vec![glyph])),
    }
}

/// The subtables of every lookup of feature `tag`, in lookup order.
fn subtables<'a>(
    table: &LayoutTable<'a>,
    tag: &[u8; 4],
) -> impl Iterator<Item = PositioningSubtable<'a>> + 'a {
    let tag = Tag::from_bytes(tag);
    let mut indices: Vec<u16> = table
        .features
        .into_iter()
        .filter(|f| f.tag == tag)
        .flat_map(|f| f.lookup_indices)
        .collect();
    indices.sort_unstable();
    indices.dedup();
    let lookups = table.lookups;
    indices
        .into_iter()
        .filter_map(move |i| lookups.get(i))
        .flat_map(|lookup| lookup.subtables.into_iter::<PositioningSubtable<'a>>())
}
