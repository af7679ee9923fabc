#!/bin/sh
# A signal stops a whole multi-scenario command: the scenario in progress reports a partial
# result, the rest are listed as not run, the JUnit and Markdown files are still written (and
# well-formed), and the exit status is 3.
#
# usage: interrupt_test.sh DMCHECK SCENARIO SIGNAL ci|check
# The scenarios are explored by endless random walks, so only the signal can end them; the
# signal is sent once the progress line shows the first scenario is being explored.
set -u
dmcheck=$1 scenario=$2 signal=$3 command=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/progress_wait.sh"
fail() { echo "FAIL: $*"; echo "--- stdout"; cat "$tmp/stdout"; echo "--- stderr"; cat "$tmp/stderr"; exit 1; }

mkdir "$tmp/in"
# Random walks give no shortest traces: the copies leave out [expect.shortest], so that a
# walk's longer trace is not a changed verdict.
for name in a b c; do
  awk '/^\[/ { skip = ($0 == "[expect.shortest]") } !skip' "$scenario" >"$tmp/in/$name.toml"
done
endless="--strategy random --walks 18446744073709551615 --progress always"
case $command in
  ci) "$dmcheck" ci "$tmp/in" --junit "$tmp/out.xml" --markdown "$tmp/out.md" $endless \
        >"$tmp/stdout" 2>"$tmp/stderr" &
      ;;
  check) "$dmcheck" check "$tmp/in/a.toml" "$tmp/in/b.toml" "$tmp/in/c.toml" $endless \
        >"$tmp/stdout" 2>"$tmp/stderr" &
      ;;
esac
pid=$!

wait_for_progress "$pid" "$tmp/stderr"
kill -s "$signal" "$pid"

# The run must end by itself soon after one signal.
tries=0
while kill -0 "$pid" 2>/dev/null; do
  tries=$((tries + 1))
  [ "$tries" -lt 600 ] || { kill -KILL "$pid"; wait "$pid"; fail "still running a minute after SIG$signal"; }
  sleep 0.1
done
wait "$pid"
status=$?

[ "$status" -eq 3 ] || fail "exit status $status, expected 3"
grep -q "interrupted by SIG$signal" "$tmp/stderr" || fail "no message naming SIG$signal on stderr"
case $command in
  ci)
    grep -q '^UNDECIDED a ' "$tmp/stdout" || fail "no partial result for the first scenario"
    grep -q 'stopped: interrupted' "$tmp/stdout" || fail "the partial result does not say why"
    grep -q "^NOT RUN  b (interrupted by SIG$signal)" "$tmp/stdout" || fail "b not listed as not run"
    grep -q "^NOT RUN  c (interrupted by SIG$signal)" "$tmp/stdout" || fail "c not listed as not run"
    grep -q "2 not run" "$tmp/stdout" || fail "the summary does not count the scenarios not run"
    [ -f "$tmp/out.xml" ] || fail "no JUnit file"
    xmllint --noout "$tmp/out.xml" || fail "the JUnit file is not well-formed"
    [ "$(grep -c "<skipped message=\"not run: interrupted by SIG$signal\"/>" "$tmp/out.xml")" -eq 2 ] ||
      fail "the JUnit file does not skip b and c"
    grep -q 'type="incomplete" message="stopped by interrupted"' "$tmp/out.xml" ||
      fail "the JUnit file does not give a's partial result"
    grep -q "| b | | | | | not run (interrupted by SIG$signal) |" "$tmp/out.md" ||
      fail "the Markdown file does not list b as not run"
    ;;
  check)
    grep -q 'stopped: interrupted' "$tmp/stdout" || fail "no partial result for the first file"
    grep -q "^NOT RUN  $tmp/in/b.toml (interrupted by SIG$signal)" "$tmp/stdout" ||
      fail "b not listed as not run"
    grep -q "^NOT RUN  $tmp/in/c.toml (interrupted by SIG$signal)" "$tmp/stdout" ||
      fail "c not listed as not run"
    ;;
esac
echo "ok: SIG$signal stopped dmcheck $command with a partial result, exit status 3"
