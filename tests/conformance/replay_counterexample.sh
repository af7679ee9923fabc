#!/bin/sh
# replay_counterexample.sh STATUS DMCHECK SCENARIO PROPERTY TEXT...: writes SCENARIO's
# counterexample or witness of PROPERTY with `dmcheck check --trace-dir`, replays it on the 6.12
# kernel, and passes when the replay exits with STATUS (0: the kernel agreed and showed the
# property's state; 3: it agreed, but the trace alone cannot show it) and its output holds every
# TEXT.
want=$1
dmcheck=$2
scenario=$3
property=$4
shift 4
dir=$(mktemp -d "${TMPDIR:-/tmp}/dmcheck-replay-test.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
if ! "$dmcheck" check "$scenario" --trace-dir "$dir" >"$dir/check.out" 2>&1; then
  cat "$dir/check.out"
  echo "replay_counterexample.sh: dmcheck check $scenario did not give its expected verdicts" >&2
  exit 1
fi
trace="$dir/$(basename "$scenario" .toml).$property.json"
out=$("$dmcheck" replay "$trace" --kernel-version 6.12 2>&1)
status=$?
printf '%s\n' "$out"
if [ "$status" -ne "$want" ]; then
  echo "replay_counterexample.sh: exit status $status, expected $want" >&2
  exit 1
fi
for text; do
  case $out in
    *"$text"*) ;;
    *) echo "replay_counterexample.sh: output lacks: $text" >&2; exit 1 ;;
  esac
done
