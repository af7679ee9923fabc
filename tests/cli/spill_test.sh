#!/bin/sh
# --spill from the command line: a run that keeps its waiting states and parent links in a file
# reports exactly what one in memory reports (times and memory figures aside), says how much it
# spilled, and leaves nothing in the directory. usage: spill_test.sh DMCHECK SCENARIO
set -u
dmcheck=$1 scenario=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; for f in "$tmp"/*.out "$tmp"/*.err; do [ -f "$f" ] && { echo "--- $f"; tail -20 "$f"; }; done; exit 1; }

mkdir "$tmp/spill"
"$dmcheck" check "$scenario" --progress never --format json >"$tmp/memory.out" 2>"$tmp/memory.err" ||
  fail "the run in memory failed"
"$dmcheck" check "$scenario" --progress never --format json --spill "$tmp/spill" \
  >"$tmp/spill.out" 2>"$tmp/spill.err" || fail "the spilling run failed"
[ -z "$(ls -A "$tmp/spill")" ] || fail "files left in the spill directory: $(ls -A "$tmp/spill")"
python3 - "$tmp/memory.out" "$tmp/spill.out" <<'PY' || fail "the reports differ"
import json, sys
machine = {"seconds", "states_per_second", "peak_rss_bytes", "spill_bytes", "bytes_per_state"}
runs = [json.load(open(f))["runs"][0] for f in sys.argv[1:]]
if runs[1]["stats"]["spill_bytes"] <= 0:
    sys.exit("the spilling run reports no spilled bytes")
if runs[0]["stats"]["spill_bytes"] != 0:
    sys.exit("the run in memory reports spilled bytes")
for run in runs:
    for field in machine:
        run["stats"].pop(field)
if runs[0] != runs[1]:
    sys.exit("reports differ beyond the machine's figures")
PY
"$dmcheck" check "$scenario" --progress never --spill "$tmp/spill" >"$tmp/text.out" 2>&1 ||
  fail "the text run failed"
grep -q "peak spill [0-9]* MiB" "$tmp/text.out" || fail "the text report does not say what it spilled"
