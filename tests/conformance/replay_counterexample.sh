#!/bin/sh
# replay_counterexample.sh DMCHECK SCENARIO PROPERTY TEXT...: writes SCENARIO's counterexample
# of PROPERTY with `dmcheck check --trace-dir`, replays it on the 6.12 kernel, and passes when
# the replay exits 0 (the kernel agreed and showed the property's state) and its output holds
# every TEXT.
dmcheck=$1
scenario=$2
property=$3
shift 3
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
if [ "$status" -ne 0 ]; then
  echo "replay_counterexample.sh: exit status $status, expected 0" >&2
  exit 1
fi
for text; do
  case $out in
    *"$text"*) ;;
    *) echo "replay_counterexample.sh: output lacks: $text" >&2; exit 1 ;;
  esac
done
