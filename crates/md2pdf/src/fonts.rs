//! The faces a document is set in: the bundled Noto Sans CJK SC (regular, bold) and
//! DejaVu Sans Mono, plus the user's fallback fonts.
//!
//! A [`Face`] is parsed once per process and shared (`Arc`, also across threads): its
//! character map is read once into a hash map, so looking a character up costs one hash
//! probe instead of a scan of the font's `cmap` subtable. The subset embedded in a PDF is
//! built once per document and face, in [`Face::subset`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use super::shaping::Spacing;
use super::PdfError;

static REGULAR: &[u8] = include_bytes!("../fonts/NotoSansCJKsc-Regular.subset.otf");
static BOLD: &[u8] = include_bytes!("../fonts/NotoSansCJKsc-Bold.subset.otf");
static MONO: &[u8] = include_bytes!("../fonts/DejaVuSansMono.subset.ttf");

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

/// One font face, parsed once: what layout needs (glyphs, advances) and what the PDF's
/// font descriptor needs (metrics), beside the font program it came from.
pub struct Face {
    data: Arc<[u8]>,
    index: u32,
    /// The PostScript name, for `/BaseFont`.
    pub name: String,
    /// Glyph of each character of the Basic Multilingual Plane (0: none), by code point.
    bmp: Vec<u16>,
    /// Glyphs of characters beyond it.
    astral: HashMap<char, u16>,
    /// Advance of each glyph, in font units, by glyph id.
    advances: Vec<u16>,
    pub units_per_em: u16,
    pub ascender: i16,
    pub descender: i16,
    /// `(x_min, y_min, x_max, y_max)` in font units.
    pub bbox: (i16, i16, i16, i16),
    pub caret_slope: (i16, i16),
    pub weight_class: u16,
    pub is_cff: bool,
    /// Where the `CFF ` table lies in `data`, for the fast subset of [`super::cff`].
    cff: Option<std::ops::Range<usize>>,
    /// Kerning and proportional punctuation, read on first use.
    spacing: OnceLock<Spacing>,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face")
            .field("name", &self.name)
            .field("units_per_em", &self.units_per_em)
            .finish_non_exhaustive()
    }
}

impl Face {
    /// Parses a TrueType or OpenType font (face `index` of a collection); `None` if it is
    /// not one this renderer can use.
    pub fn parse(data: Arc<[u8]>, index: u32) -> Option<Face> {
        let face = ttf_parser::Face::parse(&data, index).ok()?;
        let mut bmp = vec![0u16; 0x1_0000];
        let mut astral = HashMap::new();
        let subtables = face.tables().cmap?.subtables;
        for subtable in subtables.into_iter().filter(|s| s.is_unicode()) {
            if let ttf_parser::cmap::Format::SegmentMappingToDeltaValues(_) = subtable.format {
                if fill_from_format4(&data, index, &mut bmp).is_some() {
                    continue;
                }
            }
            subtable.codepoints(|cp| {
                let Some(gid) = subtable.glyph_index(cp).filter(|g| g.0 != 0) else {
                    return;
                };
                match bmp.get_mut(cp as usize) {
                    Some(slot) if *slot == 0 => *slot = gid.0,
                    Some(_) => {}
                    None => {
                        if let Some(c) = char::from_u32(cp) {
                            astral.entry(c).or_insert(gid.0);
                        }
                    }
                }
            });
        }
        if astral.is_empty() && bmp.iter().all(|&g| g == 0) {
            return None;
        }
        let advances = (0..face.number_of_glyphs())
            .map(|g| face.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0))
            .collect();
        let name = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
            .unwrap_or_else(|| "Font".to_string());
        let bbox = face.global_bounding_box();
        // The caret slope printpdf derives `/ItalicAngle` from: upright is rise 1, run 0.
        let angle = face.italic_angle();
        let caret_slope = if angle == 0.0 {
            (1, 0)
        } else {
            (1000, (-angle.to_radians().tan() * 1000.0) as i16)
        };
        Some(Face {
            name: name.chars().filter(|c| c.is_ascii_graphic()).collect(),
            bmp,
            astral,
            advances,
            units_per_em: face.units_per_em(),
            ascender: face.ascender(),
            descender: face.descender(),
            bbox: (bbox.x_min, bbox.y_min, bbox.x_max, bbox.y_max),
            caret_slope,
            weight_class: face.tables().os2.map_or(0, |os2| os2.weight().to_number()),
            is_cff: face.tables().cff.is_some(),
            cff: table_range(&data, index, b"CFF "),
            spacing: OnceLock::new(),
            index,
            data,
        })
    }

    /// The glyph that draws `c`, if the face has one.
    pub fn glyph(&self, c: char) -> Option<u16> {
        match self.bmp.get(c as usize) {
            Some(&gid) => (gid != 0).then_some(gid),
            None => self.astral.get(&c).copied(),
        }
    }

    /// The face's kerning and proportional punctuation (its `GPOS` table).
    pub fn spacing(&self) -> &Spacing {
        self.spacing
            .get_or_init(|| match ttf_parser::Face::parse(&self.data, self.index) {
                Ok(face) => Spacing::read(&face, |c| self.glyph(c)),
                Err(_) => Spacing::default(),
            })
    }

    /// Advance of glyph `gid`, in font units.
    pub fn advance(&self, gid: u16) -> u16 {
        self.advances.get(usize::from(gid)).copied().unwrap_or(0)
    }

    /// A font program holding only `glyphs` (and `.notdef`), renumbered from 1 in
    /// ascending order of their ids here; with the map from old to new ids.
    pub fn subset(
        &self,
        glyphs: &BTreeSet<u16>,
    ) -> Result<(Vec<u8>, BTreeMap<u16, u16>), PdfError> {
        let sorted: Vec<u16> = glyphs.iter().copied().collect();
        if let Some(bytes) = self
            .cff
            .as_ref()
            .and_then(|r| super::cff::subset(&self.data[r.clone()], &sorted))
        {
            let map = sorted
                .iter()
                .zip(1..)
                .map(|(&old, new)| (old, new))
                .collect();
            return Ok((bytes, map));
        }
        let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&sorted);
        let bytes = subsetter::subset(&self.data, self.index, &remapper)
            .map_err(|e| PdfError::Write(format!("cannot subset the font {}: {e}", self.name)))?;
        let map = sorted
            .iter()
            .filter_map(|&old| remapper.get(old).map(|new| (old, new)))
            .collect();
        Ok((bytes, map))
    }
}

/// Fills `bmp` from the font's first Unicode format-4 `cmap` subtable, segment by segment
/// (one pass, no search per character). `None` if there is no such subtable to read, and
/// then the caller reads the table through ttf-parser.
fn fill_from_format4(data: &[u8], index: u32, bmp: &mut [u16]) -> Option<()> {
    let range = table_range(data, index, b"cmap")?;
    let cmap = data.get(range)?;
    let u16_at = |d: &[u8], at: usize| Some(u16::from_be_bytes([*d.get(at)?, *d.get(at + 1)?]));
    let u32_at = |d: &[u8], at: usize| {
        Some(u32::from_be_bytes([
            *d.get(at)?,
            *d.get(at + 1)?,
            *d.get(at + 2)?,
            *d.get(at + 3)?,
        ]))
    };
    let records = usize::from(u16_at(cmap, 2)?);
    let sub = (0..records).find_map(|i| {
        let rec = 4 + i * 8;
        let (platform, encoding) = (u16_at(cmap, rec)?, u16_at(cmap, rec + 2)?);
        let offset = u32_at(cmap, rec + 4)? as usize;
        let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
        (unicode && u16_at(cmap, offset)? == 4).then_some(offset)
    })?;
    let t = cmap.get(sub..)?;
    let segments = usize::from(u16_at(t, 6)? / 2);
    let ends = 14;
    let starts = ends + segments * 2 + 2;
    let deltas = starts + segments * 2;
    let range_offsets = deltas + segments * 2;
    for i in 0..segments {
        let (end, start) = (u16_at(t, ends + i * 2)?, u16_at(t, starts + i * 2)?);
        let delta = u16_at(t, deltas + i * 2)?;
        let range_offset = usize::from(u16_at(t, range_offsets + i * 2)?);
        if start > end || (start == 0xFFFF && end == 0xFFFF) {
            continue;
        }
        for cp in start..=end {
            let gid = if range_offset == 0 {
                cp.wrapping_add(delta)
            } else {
                let at = range_offsets + i * 2 + range_offset + usize::from(cp - start) * 2;
                match u16_at(t, at)? {
                    0 => 0,
                    g => g.wrapping_add(delta),
                }
            };
            let slot = &mut bmp[usize::from(cp)];
            if *slot == 0 {
                *slot = gid;
            }
        }
    }
    Some(())
}

/// The byte range of table `tag` within `data`.
fn table_range(data: &[u8], index: u32, tag: &[u8; 4]) -> Option<std::ops::Range<usize>> {
    let raw = ttf_parser::RawFace::parse(data, index).ok()?;
    let record = raw
        .table_records
        .into_iter()
        .find(|r| r.tag == ttf_parser::Tag::from_bytes(tag))?;
    let start = usize::try_from(record.offset).ok()?;
    let range = start..start.checked_add(usize::try_from(record.length).ok()?)?;
    data.get(range.clone()).map(|_| range)
}

fn bundled() -> &'static [Arc<Face>; 3] {
    static FACES: OnceLock<[Arc<Face>; 3]> = OnceLock::new();
    FACES.get_or_init(|| {
        let parse = |bytes: &'static [u8], name: &str| match Face::parse(Arc::from(bytes), 0) {
            Some(face) => Arc::new(face),
            // The bundled bytes are fixed at compile time and covered by tests.
            None => panic!("bundled font {name} does not parse"),
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
    faces: Vec<Arc<Face>>,
    /// Characters no face covers, reported once each.
    missing: BTreeSet<char>,
}

impl FontSet {
    /// Loads the fallback font files; an unreadable or unparsable file is an error
    /// naming it.
    pub fn new(fallbacks: &[PathBuf]) -> Result<Self, PdfError> {
        let mut faces: Vec<Arc<Face>> = bundled().to_vec();
        for path in fallbacks {
            faces.push(load_fallback(path)?);
        }
        Ok(Self {
            faces,
            missing: BTreeSet::new(),
        })
    }

    pub fn face(&self, id: FaceId) -> &Face {
        &self.faces[id]
    }

    pub fn len(&self) -> usize {
        self.faces.len()
    }

    fn has(&self, id: FaceId, c: char) -> bool {
        self.faces[id].glyph(c).is_some()
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
        let gid = f.glyph(c).unwrap_or(0);
        f32::from(f.advance(gid)) / f32::from(f.units_per_em.max(1))
    }

    /// Kerning between `a` and `b` set in `face`, in ems: zero unless both are Latin
    /// characters the face kerns.
    pub fn kern_em(&self, face: FaceId, a: char, b: char) -> f32 {
        if !(super::shaping::kerns(a) && super::shaping::kerns(b)) {
            return 0.0;
        }
        let f = &self.faces[face];
        match (f.glyph(a), f.glyph(b)) {
            (Some(ga), Some(gb)) => {
                f32::from(f.spacing().kern(ga, gb)) / f32::from(f.units_per_em.max(1))
            }
            _ => 0.0,
        }
    }

    /// The proportional form of punctuation mark `c` in `face`, in ems: how far its
    /// glyph moves and how much its advance changes.
    pub fn palt_em(&self, face: FaceId, c: char) -> Option<(f32, f32)> {
        let f = &self.faces[face];
        let (placement, advance) = f.spacing().palt(f.glyph(c)?)?;
        let upm = f32::from(f.units_per_em.max(1));
        Some((f32::from(placement) / upm, f32::from(advance) / upm))
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

/// A fallback font, read and parsed once per process however many documents use it.
fn load_fallback(path: &Path) -> Result<Arc<Face>, PdfError> {
    static LOADED: OnceLock<Mutex<HashMap<PathBuf, Arc<Face>>>> = OnceLock::new();
    let loaded = LOADED.get_or_init(Default::default);
    if let Some(face) = loaded.lock().ok().and_then(|m| m.get(path).cloned()) {
        return Ok(face);
    }
    let bytes = std::fs::read(path).map_err(|source| PdfError::FontRead {
        path: path.to_path_buf(),
        source,
    })?;
    let face = Face::parse(Arc::from(bytes), 0)
        .map(Arc::new)
        .ok_or_else(|| PdfError::FontParse {
            path: path.to_path_buf(),
        })?;
    if let Ok(mut map) = loaded.lock() {
        map.insert(path.to_path_buf(), Arc::clone(&face));
    }
    Ok(face)
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

    #[test]
    fn the_character_table_agrees_with_the_fonts_own_lookup() {
        for (bytes, id) in [
            (REGULAR, REGULAR_FACE),
            (BOLD, BOLD_FACE),
            (MONO, MONO_FACE),
        ] {
            let face = &FontSet::new(&[]).unwrap().faces[id];
            let parsed = ttf_parser::Face::parse(bytes, 0).unwrap();
            for cp in 0..=0xFFFF_u32 {
                let Some(c) = char::from_u32(cp) else {
                    continue;
                };
                let want = parsed.glyph_index(c).map(|g| g.0).filter(|&g| g != 0);
                assert_eq!(face.glyph(c), want, "U+{cp:04X} in face {id}");
            }
        }
    }

    #[test]
    fn latin_pairs_kern_and_chinese_does_not() {
        let fonts = FontSet::new(&[]).unwrap();
        assert!(fonts.kern_em(REGULAR_FACE, 'A', 'V') < -0.01);
        assert!(fonts.kern_em(BOLD_FACE, 'T', 'o') < -0.01);
        assert_eq!(fonts.kern_em(REGULAR_FACE, '直', '播'), 0.0);
        assert_eq!(fonts.kern_em(REGULAR_FACE, 'H', 'H'), 0.0);
        assert_eq!(fonts.kern_em(MONO_FACE, 'A', 'V'), 0.0);
    }

    #[test]
    fn punctuation_has_its_proportional_form() {
        let fonts = FontSet::new(&[]).unwrap();
        // Noto Sans CJK SC: every mark half an em narrower, its glyph nudged to sit in
        // the remaining half as the designer drew it.
        let (placement, advance) = fonts.palt_em(REGULAR_FACE, '，').unwrap();
        assert!((-0.1..0.0).contains(&placement), "{placement}");
        assert_eq!(advance, -0.5);
        let (placement, _) = fonts.palt_em(REGULAR_FACE, '（').unwrap();
        assert!(placement < -0.3, "{placement}");
        assert_eq!(fonts.palt_em(REGULAR_FACE, '中'), None);
    }

    #[test]
    fn faces_are_shared_not_parsed_again() {
        let a = FontSet::new(&[]).unwrap();
        let b = FontSet::new(&[]).unwrap();
        assert!(Arc::ptr_eq(&a.faces[0], &b.faces[0]));
    }

    #[test]
    fn a_subset_keeps_only_the_glyphs_asked_for() {
        let fonts = FontSet::new(&[]).unwrap();
        let face = fonts.face(REGULAR_FACE);
        let used: BTreeSet<u16> = "直播".chars().filter_map(|c| face.glyph(c)).collect();
        let (bytes, map) = face.subset(&used).unwrap();
        assert_eq!(map.len(), 2);
        assert_eq!(map.values().copied().collect::<Vec<_>>(), [1, 2]);
        let raw = ttf_parser::RawFace::parse(&bytes, 0).unwrap();
        let cff = raw.table(ttf_parser::Tag::from_bytes(b"CFF ")).unwrap();
        assert_eq!(
            ttf_parser::cff::Table::parse(cff)
                .unwrap()
                .number_of_glyphs(),
            3
        );
        assert!(bytes.len() < 20_000, "{} bytes", bytes.len());
    }
}
