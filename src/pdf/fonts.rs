//! The faces a document is set in: the bundled Noto Sans CJK SC (regular, bold) and
//! DejaVu Sans Mono, parsed once per process, plus the user's fallback fonts.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use printpdf::ParsedFont;

use super::PdfError;

static REGULAR: &[u8] = include_bytes!("../../fonts/NotoSansCJKsc-Regular.subset.otf");
static BOLD: &[u8] = include_bytes!("../../fonts/NotoSansCJKsc-Bold.subset.otf");
static MONO: &[u8] = include_bytes!("../../fonts/DejaVuSansMono.subset.ttf");

/// Index of a face within a [`FontSet`].
pub type FaceId = usize;
pub const REGULAR_FACE: FaceId = 0;
pub const BOLD_FACE: FaceId = 1;
pub const MONO_FACE: FaceId = 2;

/// Which bundled face a run of text asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
    Mono,
}

fn bundled() -> &'static [Arc<ParsedFont>; 3] {
    static FACES: OnceLock<[Arc<ParsedFont>; 3]> = OnceLock::new();
    FACES.get_or_init(|| {
        let parse = |bytes: &[u8], name: &str| {
            let mut warnings = Vec::new();
            match ParsedFont::from_bytes(bytes, 0, &mut warnings) {
                Some(face) => Arc::new(face),
                // The bundled bytes are fixed at compile time and covered by tests.
                None => panic!("bundled font {name} does not parse: {warnings:?}"),
            }
        };
        [
            parse(REGULAR, "NotoSansCJKsc-Regular"),
            parse(BOLD, "NotoSansCJKsc-Bold"),
            parse(MONO, "DejaVuSansMono"),
        ]
    })
}

/// The faces of one document: the bundled ones first, then the fallbacks in the
/// order the user gave them.
pub struct FontSet {
    faces: Vec<Arc<ParsedFont>>,
    /// Characters no face covers, reported once each.
    missing: BTreeSet<char>,
}

impl FontSet {
    /// Loads the fallback font files; an unreadable or unparsable file is an error
    /// naming it.
    pub fn new(fallbacks: &[std::path::PathBuf]) -> Result<Self, PdfError> {
        let mut faces: Vec<Arc<ParsedFont>> = bundled().to_vec();
        for path in fallbacks {
            faces.push(Arc::new(load_fallback(path)?));
        }
        Ok(Self {
            faces,
            missing: BTreeSet::new(),
        })
    }

    pub fn face(&self, id: FaceId) -> &ParsedFont {
        &self.faces[id]
    }

    pub fn len(&self) -> usize {
        self.faces.len()
    }

    fn has(&self, id: FaceId, c: char) -> bool {
        self.faces[id].lookup_glyph_index(c as u32).is_some()
    }

    /// The face that draws `c` in the requested weight: the bundled face if it has the
    /// glyph, else the regular CJK face (code falls back to it for Chinese), else the
    /// first fallback font that has it. A character nobody has is drawn with the
    /// regular face's `.notdef` and recorded for a warning.
    pub fn resolve(&mut self, c: char, weight: Weight) -> FaceId {
        let preferred = match weight {
            Weight::Regular => REGULAR_FACE,
            Weight::Bold => BOLD_FACE,
            Weight::Mono => MONO_FACE,
        };
        if self.has(preferred, c) {
            return preferred;
        }
        if weight == Weight::Mono && self.has(REGULAR_FACE, c) {
            return REGULAR_FACE;
        }
        if let Some(id) = (3..self.faces.len()).find(|&id| self.has(id, c)) {
            return id;
        }
        if !c.is_control() {
            self.missing.insert(c);
        }
        preferred
    }

    /// Advance of `c` in `face`, in ems.
    pub fn advance_em(&self, face: FaceId, c: char) -> f32 {
        let f = &self.faces[face];
        let upm = f32::from(f.font_metrics.units_per_em.max(1));
        let gid = f.lookup_glyph_index(c as u32).unwrap_or(0);
        f32::from(f.get_horizontal_advance(gid)) / upm
    }

    /// One warning per character that no font covers, in code point order.
    pub fn missing_warnings(&self) -> Vec<String> {
        self.missing
            .iter()
            .map(|&c| {
                format!(
                    "U+{:04X} '{}' is not in the bundled font; pass --font FILE",
                    c as u32, c
                )
            })
            .collect()
    }
}

fn load_fallback(path: &Path) -> Result<ParsedFont, PdfError> {
    let bytes = std::fs::read(path).map_err(|source| PdfError::FontRead {
        path: path.to_path_buf(),
        source,
    })?;
    let mut warnings = Vec::new();
    ParsedFont::from_bytes(&bytes, 0, &mut warnings).ok_or_else(|| PdfError::FontParse {
        path: path.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_faces_cover_chinese_and_latin() {
        let mut fonts = FontSet::new(&[]).unwrap();
        assert_eq!(fonts.resolve('中', Weight::Regular), REGULAR_FACE);
        assert_eq!(fonts.resolve('中', Weight::Bold), BOLD_FACE);
        assert_eq!(fonts.resolve('a', Weight::Mono), MONO_FACE);
        assert_eq!(fonts.resolve('中', Weight::Mono), REGULAR_FACE);
        assert!(fonts.missing_warnings().is_empty());
        assert!((fonts.advance_em(REGULAR_FACE, '中') - 1.0).abs() < 1e-6);
    }

    #[test]
    fn missing_character_is_reported() {
        let mut fonts = FontSet::new(&[]).unwrap();
        fonts.resolve('𪚥', Weight::Regular);
        assert_eq!(
            fonts.missing_warnings(),
            ["U+2A6A5 '𪚥' is not in the bundled font; pass --font FILE"]
        );
    }
}
