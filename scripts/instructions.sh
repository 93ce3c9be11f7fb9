#!/usr/bin/env bash
# Instruction counts (valgrind --tool=callgrind), which machine noise does not move:
#   - Markdown to PDF of the ten-page Chinese sample report;
#   - `run all` on an example brand with and without PDF, and their ratio.
# Usage: scripts/instructions.sh [BRAND]   (default: jiaoyu-snacks)
set -euo pipefail
cd "$(dirname "$0")/.."
brand=${1:-jiaoyu-snacks}
command -v valgrind >/dev/null || { echo "needs valgrind" >&2; exit 1; }
cargo build --release --quiet
bench=$(cargo bench --bench pdf --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import json,sys
for l in sys.stdin:
    m=json.loads(l)
    if m.get("reason")=="compiler-artifact" and m["target"]["name"]=="pdf" and m.get("executable"):
        print(m["executable"])')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
count() {
  valgrind --tool=callgrind --callgrind-out-file="$work/cg" "$@" >/dev/null 2>"$work/log"
  grep -o 'refs: *[0-9,]*' "$work/log" | tr -dc '0-9'
}
pdf=$(count "$bench" --once report-10p)
without=$(count target/release/playbook run all --brand "examples/brands/$brand.yaml" --format md,json --out "$work/out")
with=$(count target/release/playbook run all --brand "examples/brands/$brand.yaml" --format md,pdf,json --out "$work/out")
python3 - "$brand" "$pdf" "$without" "$with" <<'PY'
import sys
brand, pdf, without, with_pdf = sys.argv[1], *map(int, sys.argv[2:])
print(f"ten-page report to PDF:             {pdf:>15,} instructions")
print(f"run all {brand}, md+json:     {without:>15,} instructions")
print(f"run all {brand}, md+pdf+json: {with_pdf:>15,} instructions ({with_pdf / without:.2f} x)")
PY
