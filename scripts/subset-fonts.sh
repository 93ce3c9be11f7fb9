#!/usr/bin/env bash
# Regenerates the bundled font subsets in crates/md2pdf/fonts/ from Debian's packages:
#   fonts-noto-cjk     -> NotoSansCJKsc-{Regular,Bold}.subset.otf  (SIL OFL 1.1)
#   fonts-dejavu-core  -> DejaVuSansMono.subset.ttf                (Bitstream Vera / DejaVu licence)
# Needs: apt-get (download only, no install), dpkg-deb, python3 with fonttools
# (`pip install fonttools`). Output is deterministic for a given package version.
set -euo pipefail
cd "$(dirname "$0")/.."
out=crates/md2pdf/fonts
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -c 'import fontTools' 2>/dev/null || pip install fonttools

(cd "$work" && apt-get download fonts-noto-cjk fonts-dejavu-core >/dev/null)
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
noto="$work/root/usr/share/fonts/opentype/noto"
dejavu="$work/root/usr/share/fonts/truetype/dejavu"

# The character set: every GB2312 Hanzi and symbol (decoded with Python's codec),
# ASCII, Latin-1, general punctuation, arrows, geometric shapes and check marks,
# CJK symbols and punctuation, full-width forms.
python3 - "$work/unicodes.txt" <<'PY'
import sys
cps = set()
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            s = bytes([hi, lo]).decode("gb2312")
        except UnicodeDecodeError:
            continue
        cps.update(ord(c) for c in s)
ranges = [
    (0x0020, 0x007E), (0x00A0, 0x00FF), (0x2000, 0x206F), (0x2100, 0x214F),
    (0x2190, 0x21FF), (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF),
    (0x2600, 0x26FF), (0x2700, 0x27BF), (0x3000, 0x303F), (0xFF00, 0xFFEF),
]
for a, b in ranges:
    cps.update(range(a, b + 1))
with open(sys.argv[1], "w") as f:
    f.write(",".join("U+%04X" % c for c in sorted(cps)))
print(len(cps), "code points requested")
PY

# Noto Sans CJK comes as a collection; index 2 is "Noto Sans CJK SC".
subset_cjk() {
  local weight=$1
  python3 - "$noto/NotoSansCJK-$weight.ttc" "$work/sc-$weight.otf" <<'PY'
import sys
from fontTools.ttLib import TTCollection
c = TTCollection(sys.argv[1])
face = c.fonts[2]
assert face["name"].getDebugName(4).startswith("Noto Sans CJK SC"), "unexpected face order"
face.save(sys.argv[2])
PY
  pyftsubset "$work/sc-$weight.otf" \
    --unicodes-file="$work/unicodes.txt" \
    --layout-features='kern,palt,vert,locl' --no-hinting --desubroutinize \
    --name-IDs='*' --name-languages='*' --notdef-outline \
    --output-file="$out/NotoSansCJKsc-$weight.subset.otf"
}
subset_cjk Regular
subset_cjk Bold

pyftsubset "$dejavu/DejaVuSansMono.ttf" --unicodes='U+0020-007E,U+00A0-00FF' \
  --no-hinting --notdef-outline --name-IDs='*' --output-file="$out/DejaVuSansMono.subset.ttf"

# Licences travel with the fonts.
{
  python3 -c 'import sys; from fontTools.ttLib import TTFont; print(TTFont(sys.argv[1])["name"].getDebugName(0))' \
    "$out/NotoSansCJKsc-Regular.subset.otf"
  echo
  awk '/^License: SIL-1.1$/ && ++n == 2 {p=1; next} p && /^License:/ {exit} p' \
    "$work/root/usr/share/doc/fonts-noto-cjk/copyright" | sed 's/^ //; s/^\.$//'
} > "$out/OFL.txt"
cp "$work/root/usr/share/doc/fonts-dejavu-core/copyright" "$out/LICENSE-DejaVu.txt"
ls -l "$out"
