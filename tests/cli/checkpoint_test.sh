#!/bin/sh
# Checkpoints from the command line. usage: checkpoint_test.sh DMCHECK SOURCE_DIR CASE
#   signal: SIGINT stops a large run; the checkpoint is written whole (no partial file left),
#           and a resumed run goes on from it, past where the first stopped.
#   same:   a run stopped by time limits again and again, each time resumed, ends with the
#           report of a run never stopped (every verdict, trace and count; times aside).
set -u
dmcheck=$1 source=$2 case=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/progress_wait.sh"
fail() { echo "FAIL: $*"; for f in "$tmp"/*.out "$tmp"/*.err; do [ -f "$f" ] && { echo "--- $f"; tail -20 "$f"; }; done; exit 1; }

# The states a JSON report counts.
states() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["runs"][0]["stats"]["states"])' "$1"; }

case $case in
signal)
  "$dmcheck" check "$source/bench/scale/four-owners.toml" --checkpoint "$tmp/run.ckpt" \
    --progress always --format json >"$tmp/first.out" 2>"$tmp/first.err" &
  pid=$!
  wait_for_progress "$pid" "$tmp/first.err"
  sleep 1
  kill -INT "$pid"
  wait "$pid"
  status=$?
  [ "$status" -eq 3 ] || fail "exit status $status after SIGINT, expected 3"
  grep -q "interrupted by SIGINT" "$tmp/first.err" || fail "no message naming SIGINT"
  [ -s "$tmp/run.ckpt" ] || fail "no checkpoint written at the signal"
  [ ! -e "$tmp/run.ckpt.partial" ] || fail "a partial checkpoint was left behind"
  first=$(states "$tmp/first.out")
  # The resumed run expands the level the signal cut short and numbers new states past it.
  "$dmcheck" check "$source/bench/scale/four-owners.toml" --resume "$tmp/run.ckpt" \
    --checkpoint "$tmp/run.ckpt" --max-states $((first + 1000)) --progress never --format json \
    >"$tmp/second.out" 2>"$tmp/second.err"
  status=$?
  [ "$status" -eq 3 ] || fail "exit status $status of the resumed run, expected 3 (state limit)"
  second=$(states "$tmp/second.out")
  [ "$second" -eq $((first + 1000)) ] || fail "the resumed run has $second states, not the $first before and 1000 more"
  [ ! -e "$tmp/run.ckpt.partial" ] || fail "a partial checkpoint was left behind"
  ;;
same)
  scenario=$source/bench/bounds/wide.toml
  "$dmcheck" check "$scenario" --progress never --format json >"$tmp/whole.out" 2>"$tmp/whole.err" ||
    fail "the uninterrupted run failed"
  # Each run gets a share of what the whole run took on this build (sanitizers slow it several
  # times), so the first is stopped part way and every resumed one gets past the level it redoes.
  seconds=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["runs"][0]["stats"]["seconds"])' "$tmp/whole.out")
  first=$(python3 -c "print(max(0.05, $seconds / 4))")
  share=$(python3 -c "print(max(0.5, $seconds / 3))")
  "$dmcheck" check "$scenario" --progress never --format json --checkpoint "$tmp/run.ckpt" \
    --max-time "$first" >"$tmp/part.out" 2>"$tmp/part.err"
  status=$? runs=1
  while [ "$status" -eq 3 ]; do
    [ "$runs" -lt 40 ] || fail "no end after $runs resumed runs of $share s each"
    "$dmcheck" check "$scenario" --progress never --format json --resume "$tmp/run.ckpt" \
      --checkpoint "$tmp/run.ckpt" --max-time "$share" --threads $((runs % 2 + 1)) \
      >"$tmp/part.out" 2>"$tmp/part.err"
    status=$? runs=$((runs + 1))
  done
  [ "$status" -eq 0 ] || fail "exit status $status"
  [ "$runs" -gt 1 ] || fail "the first run was never stopped: nothing was resumed"
  python3 - "$tmp/whole.out" "$tmp/part.out" <<'PY' || fail "the resumed report differs"
import json, sys
def report(path):
    doc = json.load(open(path))
    for run in doc["runs"]:
        for key in ("seconds", "states_per_second", "peak_rss_bytes", "store_bytes",
                    "bytes_per_state", "threads"):
            run["stats"].pop(key, None)
    return doc
whole, resumed = report(sys.argv[1]), report(sys.argv[2])
if whole != resumed:
    print(json.dumps(whole["runs"][0]["stats"]), json.dumps(resumed["runs"][0]["stats"]))
    sys.exit(1)
PY
  echo "ended after $runs runs, as the uninterrupted one"
  ;;
*)
  fail "unknown case $case"
  ;;
esac
