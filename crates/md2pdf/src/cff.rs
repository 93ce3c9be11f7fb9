//! A fast subset of a CID-keyed CFF font whose glyphs call no subroutines, such as the
//! bundled Noto Sans CJK faces (desubroutinized when they were cut from the full fonts).
//!
//! Such a font's glyph programs stand alone, so a subset is their bytes copied behind a
//! rebuilt table of contents: no glyph program is decoded. A general subsetter decodes and
//! re-encodes every glyph, which for a Chinese document of a few hundred distinct
//! characters cost more instructions than laying out and writing the whole document.
//! Fonts this module does not handle (TrueType, name-keyed CFF, subroutines) return
//! `None`, and the caller uses the general subsetter.
//!
//! The subset numbers glyphs `0..n` in the order given, and gives glyph `g` the CID `g`
//! (the charset is the identity), so a PDF's Identity-H codes are the new glyph ids.

/// A CFF `INDEX`, read lazily: items are found by their offsets when asked for, so a
/// font of thousands of glyphs costs only the glyphs a subset takes.
struct Index<'a> {
    data: &'a [u8],
    count: usize,
    offset_size: usize,
    /// Where the offsets start.
    offsets: usize,
    /// The byte before the first item (offsets count from 1).
    base: usize,
    /// Where the whole structure ends.
    end: usize,
}

impl<'a> Index<'a> {
    fn get(&self, i: usize) -> Option<&'a [u8]> {
        if i >= self.count {
            return None;
        }
        let at = |k: usize| {
            offset_at(
                self.data,
                self.offsets + k * self.offset_size,
                self.offset_size,
            )
        };
        let (start, end) = (at(i)?, at(i + 1)?);
        self.data.get(self.base + start..self.base + end)
    }

    fn items(&self) -> Option<Vec<&'a [u8]>> {
        (0..self.count).map(|i| self.get(i)).collect()
    }
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*data.get(at)?, *data.get(at + 1)?]))
}

fn offset_at(data: &[u8], at: usize, size: usize) -> Option<usize> {
    let bytes = data.get(at..at + size)?;
    Some(bytes.iter().fold(0, |n, &b| (n << 8) | usize::from(b)))
}

fn read_index(data: &[u8], at: usize) -> Option<Index<'_>> {
    let count = usize::from(u16_at(data, at)?);
    if count == 0 {
        return Some(Index {
            data,
            count,
            offset_size: 1,
            offsets: at + 2,
            base: at + 1,
            end: at + 2,
        });
    }
    let offset_size = usize::from(*data.get(at + 2)?);
    if !(1..=4).contains(&offset_size) {
        return None;
    }
    let offsets = at + 3;
    let base = offsets + (count + 1) * offset_size - 1;
    let last = offset_at(data, offsets + count * offset_size, offset_size)?;
    let end = base + last;
    (end <= data.len()).then_some(Index {
        data,
        count,
        offset_size,
        offsets,
        base,
        end,
    })
}

fn write_index(out: &mut Vec<u8>, items: &[&[u8]]) {
    out.extend_from_slice(&(items.len() as u16).to_be_bytes());
    if items.is_empty() {
        return;
    }
    out.push(4);
    let mut offset: u32 = 1;
    out.extend_from_slice(&offset.to_be_bytes());
    for item in items {
        offset += item.len() as u32;
        out.extend_from_slice(&offset.to_be_bytes());
    }
    for item in items {
        out.extend_from_slice(item);
    }
}

fn index_len(items: &[&[u8]]) -> usize {
    if items.is_empty() {
        2
    } else {
        3 + 4 * (items.len() + 1) + items.iter().map(|i| i.len()).sum::<usize>()
    }
}

/// One DICT entry: its operator (`12 x` as `1200 + x`), the raw bytes of its operands and
/// operator, and the operands that are integers.
struct Entry<'a> {
    op: u16,
    raw: &'a [u8],
    ints: Vec<i64>,
}

fn parse_dict(data: &[u8]) -> Option<Vec<Entry<'_>>> {
    let mut entries = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut ints = Vec::new();
    while i < data.len() {
        let b0 = data[i];
        match b0 {
            0..=21 => {
                let op = if b0 == 12 {
                    i += 1;
                    1200 + u16::from(*data.get(i)?)
                } else {
                    u16::from(b0)
                };
                i += 1;
                entries.push(Entry {
                    op,
                    raw: &data[start..i],
                    ints: std::mem::take(&mut ints),
                });
                start = i;
            }
            28 => {
                ints.push(i64::from(i16::from_be_bytes([
                    *data.get(i + 1)?,
                    *data.get(i + 2)?,
                ])));
                i += 3;
            }
            29 => {
                let b = data.get(i + 1..i + 5)?;
                ints.push(i64::from(i32::from_be_bytes([b[0], b[1], b[2], b[3]])));
                i += 5;
            }
            30 => {
                // A real number: nibbles up to one that is 0xf. Not an integer operand,
                // but it keeps its place so operand counts stay right.
                i += 1;
                loop {
                    let b = *data.get(i)?;
                    i += 1;
                    if b & 0x0f == 0x0f || b >> 4 == 0x0f {
                        break;
                    }
                }
                ints.push(i64::MIN);
            }
            32..=246 => {
                ints.push(i64::from(b0) - 139);
                i += 1;
            }
            247..=250 => {
                ints.push((i64::from(b0) - 247) * 256 + i64::from(*data.get(i + 1)?) + 108);
                i += 2;
            }
            251..=254 => {
                ints.push(-(i64::from(b0) - 251) * 256 - i64::from(*data.get(i + 1)?) - 108);
                i += 2;
            }
            _ => return None,
        }
    }
    Some(entries)
}

const CHARSET: u16 = 15;
const ENCODING: u16 = 16;
const CHAR_STRINGS: u16 = 17;
const PRIVATE: u16 = 18;
const SUBRS: u16 = 19;
const ROS: u16 = 1230;
const CID_COUNT: u16 = 1234;
const FD_ARRAY: u16 = 1236;
const FD_SELECT: u16 = 1237;

/// An integer operand in its fixed five-byte form, so a DICT's size does not depend on
/// the offsets it holds.
fn int5(out: &mut Vec<u8>, v: usize) {
    out.push(29);
    out.extend_from_slice(&(v as i32).to_be_bytes());
}

fn op(out: &mut Vec<u8>, op: u16) {
    if op >= 1200 {
        out.extend_from_slice(&[12, (op - 1200) as u8]);
    } else {
        out.push(op as u8);
    }
}

/// The FD (font DICT) index of every glyph.
fn fd_select(data: &[u8], at: usize, glyphs: usize) -> Option<Vec<u8>> {
    match *data.get(at)? {
        0 => Some(data.get(at + 1..at + 1 + glyphs)?.to_vec()),
        3 => {
            let ranges = usize::from(u16_at(data, at + 1)?);
            let mut fds = vec![0; glyphs];
            for r in 0..ranges {
                let rec = at + 3 + r * 3;
                let first = usize::from(u16_at(data, rec)?);
                let fd = *data.get(rec + 2)?;
                let next = usize::from(u16_at(data, rec + 3)?);
                for slot in fds.get_mut(first..next.min(glyphs))? {
                    *slot = fd;
                }
            }
            Some(fds)
        }
        _ => None,
    }
}

/// The subset of `cff` (a bare `CFF ` table) holding glyph 0 and then `glyphs` (old
/// ids, in the order they get their new ids 1, 2, ...), wrapped in a minimal `OTTO`
/// font. `None` if the font is not one this fast path handles.
pub fn subset(cff: &[u8], glyphs: &[u16]) -> Option<Vec<u8>> {
    let font = CidFont::parse(cff)?;
    let order: Vec<u16> = std::iter::once(0).chain(glyphs.iter().copied()).collect();
    Some(otto(&font.write(&order)?))
}

/// The parts of a CID-keyed CFF font that a subset copies or rebuilds.
struct CidFont<'a> {
    header: &'a [u8],
    names: Vec<&'a [u8]>,
    top: Vec<Entry<'a>>,
    strings: Vec<&'a [u8]>,
    global_subrs: Vec<&'a [u8]>,
    char_strings: Index<'a>,
    /// The font DICT index of each glyph.
    fds: Vec<u8>,
    /// Each font DICT, and the bytes of its private DICT.
    font_dicts: Vec<(Vec<Entry<'a>>, &'a [u8])>,
}

impl<'a> CidFont<'a> {
    /// `None` unless the font is CID-keyed and calls no subroutines.
    fn parse(cff: &'a [u8]) -> Option<CidFont<'a>> {
        let header_size = usize::from(*cff.get(2)?);
        let names = read_index(cff, header_size)?;
        let top = read_index(cff, names.end)?;
        let strings = read_index(cff, top.end)?;
        let global_subrs = read_index(cff, strings.end)?;
        if names.count != 1 || top.count != 1 || global_subrs.count != 0 {
            return None;
        }
        let top_dict = parse_dict(top.get(0)?)?;
        let find = |op| top_dict.iter().find(|e| e.op == op);
        if find(ROS).is_none() || find(ENCODING).is_some() {
            return None;
        }
        let offset = |op| -> Option<usize> { usize::try_from(*find(op)?.ints.first()?).ok() };
        let char_strings = read_index(cff, offset(CHAR_STRINGS)?)?;
        let fds = fd_select(cff, offset(FD_SELECT)?, char_strings.count)?;
        let font_dicts = read_index(cff, offset(FD_ARRAY)?)?
            .items()?
            .into_iter()
            .map(|item| font_dict(cff, item))
            .collect::<Option<_>>()?;
        Some(CidFont {
            header: cff.get(..header_size)?,
            names: names.items()?,
            top: top_dict,
            strings: strings.items()?,
            global_subrs: global_subrs.items()?,
            char_strings,
            fds,
            font_dicts,
        })
    }

    /// A CFF font of the glyphs `order` (old ids), renumbered 0, 1, 2, ...
    ///
    /// Layout: header, name, top DICT, strings, global subrs, charset, FDSelect,
    /// CharStrings, FDArray, private DICTs. Sizes first (offsets are written in a fixed
    /// five-byte form, so no size depends on an offset), then the bytes.
    fn write(&self, order: &[u16]) -> Option<Vec<u8>> {
        let programs: Vec<&[u8]> = order
            .iter()
            .map(|&g| self.char_strings.get(usize::from(g)))
            .collect::<Option<_>>()?;
        let n = order.len();
        let charset = identity_charset(n);
        let select = self.fd_select(order)?;

        let top_len = self.top_dict(n, [0; 4]).len();
        let mut at = self.header.len()
            + index_len(&self.names)
            + index_len(&[&vec![0; top_len]])
            + index_len(&self.strings)
            + index_len(&self.global_subrs);
        let charset_at = at;
        at += charset.len();
        let select_at = at;
        at += select.len();
        let char_strings_at = at;
        at += index_len(&programs);
        let fd_array_at = at;
        let fd_lens: Vec<usize> = self
            .font_dicts
            .iter()
            .map(|(d, p)| with_private(d, p.len(), 0).len())
            .collect();
        at += 3 + 4 * (fd_lens.len() + 1) + fd_lens.iter().sum::<usize>();
        let mut fd_bytes = Vec::new();
        for (dict, private) in &self.font_dicts {
            fd_bytes.push(with_private(dict, private.len(), at));
            at += private.len();
        }

        let top = self.top_dict(n, [charset_at, char_strings_at, fd_array_at, select_at]);
        let mut out = Vec::with_capacity(at);
        out.extend_from_slice(self.header);
        write_index(&mut out, &self.names);
        write_index(&mut out, &[&top]);
        write_index(&mut out, &self.strings);
        write_index(&mut out, &self.global_subrs);
        out.extend_from_slice(&charset);
        out.extend_from_slice(&select);
        write_index(&mut out, &programs);
        let fd_refs: Vec<&[u8]> = fd_bytes.iter().map(Vec::as_slice).collect();
        write_index(&mut out, &fd_refs);
        for (_, private) in &self.font_dicts {
            out.extend_from_slice(private);
        }
        debug_assert_eq!(out.len(), at);
        Some(out)
    }

    /// The top DICT: every entry as it was, but for the CID count and the offsets of
    /// the charset, CharStrings, FDArray and FDSelect (in that order in `offsets`).
    fn top_dict(&self, glyphs: usize, offsets: [usize; 4]) -> Vec<u8> {
        let mut out = Vec::new();
        for e in &self.top {
            match e.op {
                CHARSET | CHAR_STRINGS | FD_ARRAY | FD_SELECT | CID_COUNT => {}
                _ => out.extend_from_slice(e.raw),
            }
        }
        int5(&mut out, glyphs);
        op(&mut out, CID_COUNT);
        for (offset, operator) in
            offsets
                .into_iter()
                .zip([CHARSET, CHAR_STRINGS, FD_ARRAY, FD_SELECT])
        {
            int5(&mut out, offset);
            op(&mut out, operator);
        }
        out
    }

    /// FDSelect of the subset: format 3, a range wherever the font DICT changes.
    fn fd_select(&self, order: &[u16]) -> Option<Vec<u8>> {
        let mut ranges: Vec<(u16, u8)> = Vec::new();
        for (new, &old) in order.iter().enumerate() {
            let fd = *self.fds.get(usize::from(old))?;
            if ranges.last().is_none_or(|&(_, last)| last != fd) {
                ranges.push((new as u16, fd));
            }
        }
        let mut select = vec![3];
        select.extend_from_slice(&(ranges.len() as u16).to_be_bytes());
        for (first, fd) in &ranges {
            select.extend_from_slice(&first.to_be_bytes());
            select.push(*fd);
        }
        select.extend_from_slice(&(order.len() as u16).to_be_bytes());
        Some(select)
    }
}

/// A font DICT and its private DICT, which must call no local subroutines.
fn font_dict<'a>(cff: &'a [u8], item: &'a [u8]) -> Option<(Vec<Entry<'a>>, &'a [u8])> {
    let dict = parse_dict(item)?;
    let private = dict.iter().find(|e| e.op == PRIVATE)?;
    let (size, at) = match private.ints[..] {
        [size, at] => (usize::try_from(size).ok()?, usize::try_from(at).ok()?),
        _ => return None,
    };
    let private_bytes = cff.get(at..at.checked_add(size)?)?;
    if parse_dict(private_bytes)?.iter().any(|e| e.op == SUBRS) {
        return None;
    }
    Some((dict, private_bytes))
}

/// A font DICT with its private DICT's size and offset rewritten.
fn with_private(dict: &[Entry<'_>], size: usize, at: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for e in dict.iter().filter(|e| e.op != PRIVATE) {
        out.extend_from_slice(e.raw);
    }
    int5(&mut out, size);
    int5(&mut out, at);
    op(&mut out, PRIVATE);
    out
}

/// charset format 2, one range giving glyphs 1..n the CIDs 1..n.
fn identity_charset(n: usize) -> Vec<u8> {
    let mut charset = vec![2];
    if n > 1 {
        charset.extend_from_slice(&1u16.to_be_bytes());
        charset.extend_from_slice(&((n - 2) as u16).to_be_bytes());
    }
    charset
}

/// A minimal OpenType font holding one table, `CFF `: enough for a PDF writer to find
/// the table it embeds.
fn otto(cff: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(28 + cff.len() + 3);
    out.extend_from_slice(b"OTTO");
    // One table: numTables 1, searchRange 16, entrySelector 0, rangeShift 0.
    for v in [1u16, 16, 0, 0] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let checksum = cff.chunks(4).fold(0u32, |sum, c| {
        let mut word = [0; 4];
        word[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(word))
    });
    out.extend_from_slice(b"CFF ");
    out.extend_from_slice(&checksum.to_be_bytes());
    out.extend_from_slice(&28u32.to_be_bytes());
    out.extend_from_slice(&(cff.len() as u32).to_be_bytes());
    out.extend_from_slice(cff);
    out.resize(28 + cff.len().div_ceil(4) * 4, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled_cff() -> &'static [u8] {
        static REGULAR: &[u8] = include_bytes!("../fonts/NotoSansCJKsc-Regular.subset.otf");
        let face = ttf_parser::RawFace::parse(REGULAR, 0).unwrap();
        face.table(ttf_parser::Tag::from_bytes(b"CFF ")).unwrap()
    }

    #[test]
    fn the_subset_holds_the_glyphs_asked_for_with_their_outlines() {
        static REGULAR: &[u8] = include_bytes!("../fonts/NotoSansCJKsc-Regular.subset.otf");
        let full_face = ttf_parser::Face::parse(REGULAR, 0).unwrap();
        let gid = |c| full_face.glyph_index(c).unwrap().0;
        let glyphs = [gid('播'), gid('直'), gid('A')];
        let bytes = subset(bundled_cff(), &glyphs).expect("the bundled font takes the fast path");
        let table = ttf_parser::RawFace::parse(&bytes, 0)
            .unwrap()
            .table(ttf_parser::Tag::from_bytes(b"CFF "))
            .unwrap();
        let sub = ttf_parser::cff::Table::parse(table).expect("the subset parses");
        let full = ttf_parser::cff::Table::parse(bundled_cff()).unwrap();
        assert_eq!(sub.number_of_glyphs(), 4);
        struct Sink(usize);
        impl ttf_parser::OutlineBuilder for Sink {
            fn move_to(&mut self, _: f32, _: f32) {
                self.0 += 1;
            }
            fn line_to(&mut self, _: f32, _: f32) {
                self.0 += 1;
            }
            fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {
                self.0 += 1;
            }
            fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {
                self.0 += 1;
            }
            fn close(&mut self) {}
        }
        // Each new glyph has the old one's outline.
        for (new, &old) in glyphs.iter().enumerate() {
            let new = ttf_parser::GlyphId(new as u16 + 1);
            let (mut a, mut b) = (Sink(0), Sink(0));
            let bbox_new = sub.outline(new, &mut a).unwrap();
            let bbox_old = full.outline(ttf_parser::GlyphId(old), &mut b).unwrap();
            assert_eq!((bbox_new, a.0), (bbox_old, b.0));
        }
        assert!(bytes.len() < 4_000, "{} bytes", bytes.len());
    }

    #[test]
    fn fonts_with_subroutines_or_without_cid_keys_are_left_to_the_general_path() {
        assert!(subset(b"not a font", &[1]).is_none());
        static MONO: &[u8] = include_bytes!("../fonts/DejaVuSansMono.subset.ttf");
        assert!(subset(MONO, &[1]).is_none());
    }
}
