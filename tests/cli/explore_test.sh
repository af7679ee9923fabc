#!/bin/sh
# dmcheck check on a scenario without [expect] writes every verdict into the JUnit and Markdown
# summaries too, as passing (exit 0), each marked as stated by nobody.
#
# usage: explore_test.sh DMCHECK SCENARIO
set -u
dmcheck=$1 scenario=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; cat "$tmp/stdout" "$tmp/out.xml" "$tmp/out.md" 2>/dev/null; exit 1; }

"$dmcheck" check "$scenario" --junit "$tmp/out.xml" --markdown "$tmp/out.md" >"$tmp/stdout" 2>&1
status=$?
[ "$status" -eq 0 ] || fail "exit status $status, expected 0"
xmllint --noout "$tmp/out.xml" || fail "the JUnit file is not well-formed"
grep -q 'failures="0" errors="0"' "$tmp/out.xml" || fail "the JUnit file reports a failure"
grep -q '^one-shot-device: violated in 11 (no verdict stated)$' "$tmp/out.xml" ||
  fail "the JUnit file lacks the violated verdict"
grep -q 'one-shot-device: violated (11) (no verdict stated)' "$tmp/out.md" ||
  fail "the Markdown file lacks the violated verdict"
grep -q '1 with no verdict stated' "$tmp/out.md" || fail "the Markdown summary does not count it"
for property in $("$dmcheck" list | awk '/^Properties:/ { on = 1; next } on && /^  [a-z]/ { print $1 }'); do
  grep -q "^$property: " "$tmp/out.xml" || fail "the JUnit file lacks $property"
  grep -q "$property: " "$tmp/out.md" || fail "the Markdown file lacks $property"
done
echo "ok: every verdict in text, JUnit and Markdown, exit status 0"
