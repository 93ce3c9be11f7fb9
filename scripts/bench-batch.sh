#!/usr/bin/env bash
# The batch bench: N generated brands (default 1,000, varied from the three examples:
# team, budget, products, history, event, channels) x every bundled playbook in one
# `playbook run all` process with the default jobs, as Markdown + JSON + PDF and as
# Markdown + JSON alone, so the PDF share shows. Prints the median of R runs (default 3)
# and the machine's core count. Needs python3 with PyYAML (installed if missing).
# Usage: scripts/bench-batch.sh [N] [R]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
runs=${2:-3}
cargo build --release --quiet
python3 -c 'import yaml' 2>/dev/null || python3 -m pip install --quiet pyyaml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$n" "$work/brands" <<'PY'
import os, random, sys
import yaml  # PyYAML
n, out = int(sys.argv[1]), sys.argv[2]
os.makedirs(out)
bases = [yaml.safe_load(open(f"examples/brands/{b}.yaml")) for b in
         ("jiaoyu-snacks", "laoxiang-foods", "greenleaf-nuts")]
rng = random.Random(7)
for i in range(n):
    p = yaml.safe_load(yaml.safe_dump(bases[i % 3]))
    p["brand"]["name"] = f"{p['brand']['name']} {i}"
    team = p.setdefault("team", {})
    for k in ("anchors", "operators", "customer_service"):
        team[k] = rng.randint(0, 4)
    team["veteran_anchors"] = rng.randint(0, team["anchors"])
    p.setdefault("budget", {})["monthly_ad_spend"] = rng.choice([20000, 50000, 120000, 800000, 4000000])
    for prod in p.get("products", []):
        prod["price"] = round(prod["price"] * rng.uniform(0.8, 1.25), 1)
        prod["stock"] = rng.randint(0, 30000)
    if "history" in p:
        p["history"]["gmv"] = rng.randint(50000, 3000000)
    if "event" in p and rng.random() < 0.5:
        p["event"]["hours"] = rng.choice([6, 12, 14, 16, 18])
    yaml.safe_dump(p, open(f"{out}/brand-{i:04d}.yaml", "w"), allow_unicode=True)
PY
time_run() {
  local start end
  rm -rf "$work/out"
  start=$(date +%s.%N)
  target/release/playbook run all --brand "$work/brands" --format "$1" --quiet --out "$work/out" 2>/dev/null
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
}
median() { python3 -c 'import statistics,sys; print(f"{statistics.median(map(float, sys.argv[1:])):.1f}")' "$@"; }
full=(); nopdf=()
for _ in $(seq "$runs"); do
  full+=("$(time_run md,json,pdf)")
  nopdf+=("$(time_run md,json)")
done
files=$(find "$work/out" -type f | wc -l)
echo "cores:                  $(nproc)"
echo "brands:                 $n (x $(target/release/playbook list | wc -l) playbooks)"
echo "md+json+pdf, median:    $(median "${full[@]}") s  (runs: ${full[*]})"
echo "md+json, median:        $(median "${nopdf[@]}") s  (runs: ${nopdf[*]})"
echo "files (md+json):        $files"
