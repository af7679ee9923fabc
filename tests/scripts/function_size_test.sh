#!/bin/sh
# scripts/check-functions names exactly the fixture's two offenders and exits 1.
root=$(dirname "$0")/../..
out=$("$root/scripts/check-functions" tests/scripts/function_size)
status=$?
fail() { echo "function-size-self-test: $1"; echo "$out"; exit 1; }
[ "$status" -eq 1 ] || fail "expected exit 1, got $status"
echo "$out" | grep -q "fixture.h:6: too_long: 63 lines, nesting 0" || fail "too_long not reported"
echo "$out" | grep -q "fixture.h:70: too_deep: 15 lines, nesting 5" || fail "too_deep not reported"
echo "$out" | grep -q "fine" && fail "fine reported"
echo "$out" | grep -q "2 of 3 exceed" || fail "count wrong"
echo "function-size-self-test: ok"
