#!/bin/sh
# What dmcheck reads and writes: outputs never overwrite an input, traces of scenarios with the
# same name do not overwrite each other, a failed write is reported with its reason, a symbolic
# link loop in a library is refused, and output that cannot be written is not a success.
#
# usage: files_test.sh DMCHECK SOURCE_DIR CASE
set -u
dmcheck=$1 source=$2 case=$3
scenario=$source/scenarios/seed000-one-shot-swap-6.1.toml
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; echo "--- stdout"; cat "$tmp/stdout"; echo "--- stderr"; cat "$tmp/stderr"; exit 1; }
run() { "$dmcheck" "$@" >"$tmp/stdout" 2>"$tmp/stderr"; status=$?; }
expect_status() { [ "$status" -eq "$1" ] || fail "exit status $status, expected $1"; }
expect_stderr() { grep -qF -- "$1" "$tmp/stderr" || fail "stderr lacks: $1"; }

mkdir "$tmp/lib"
cp "$scenario" "$tmp/lib/a.toml"
case $case in
  junit-over-input)
    cp "$tmp/lib/a.toml" "$tmp/a.copy"
    run ci "$tmp/lib" --junit "$tmp/lib/a.toml"
    expect_status 2
    expect_stderr "an input of this run; refusing to overwrite it"
    cmp -s "$tmp/lib/a.toml" "$tmp/a.copy" || fail "the scenario was overwritten"
    [ ! -s "$tmp/stdout" ] || fail "work was done before the refusal"
    ;;
  markdown-over-input-through-symlink)
    ln -s lib/a.toml "$tmp/summary.md"
    cp "$tmp/lib/a.toml" "$tmp/a.copy"
    run ci "$tmp/lib" --markdown "$tmp/summary.md"
    expect_status 2
    expect_stderr "an input of this run"
    cmp -s "$tmp/lib/a.toml" "$tmp/a.copy" || fail "the scenario was overwritten"
    ;;
  trace-over-input)
    # A scenario named like a trace of another one in the trace directory.
    cp "$scenario" "$tmp/lib/x.toml"
    cp "$scenario" "$tmp/lib/x.no-open-after-no-open-mark.json"
    cp "$tmp/lib/x.no-open-after-no-open-mark.json" "$tmp/copy"
    run check "$tmp/lib/x.toml" "$tmp/lib/x.no-open-after-no-open-mark.json" --trace-dir "$tmp/lib"
    expect_status 2
    expect_stderr "a trace could overwrite"
    cmp -s "$tmp/lib/x.no-open-after-no-open-mark.json" "$tmp/copy" || fail "the input was overwritten"
    ;;
  same-stem-traces)
    mkdir "$tmp/one" "$tmp/two" "$tmp/traces"
    cp "$scenario" "$tmp/one/x.toml"
    cp "$scenario" "$tmp/two/x.toml"
    run check "$tmp/one/x.toml" "$tmp/two/x.toml" --trace-dir "$tmp/traces"
    expect_status 0
    [ -f "$tmp/traces/x-1.no-open-after-no-open-mark.json" ] || fail "no trace for one/x.toml"
    [ -f "$tmp/traces/x-2.no-open-after-no-open-mark.json" ] || fail "no trace for two/x.toml"
    grep -q "\"file\": \"$tmp/one/x.toml\"" "$tmp/traces/x-1.no-open-after-no-open-mark.json" ||
      fail "x-1 is not one/x.toml's trace"
    grep -q "\"file\": \"$tmp/two/x.toml\"" "$tmp/traces/x-2.no-open-after-no-open-mark.json" ||
      fail "x-2 is not two/x.toml's trace"
    ;;
  unwritable-junit)
    # /dev/full takes the file but refuses every byte, even to root.
    [ -w /dev/full ] || { echo "skipped: no /dev/full"; exit 0; }
    run ci "$tmp/lib" --junit /dev/full
    expect_status 2
    expect_stderr "cannot write /dev/full: No space left on device"
    ;;
  unwritable-trace-dir)
    : >"$tmp/file"
    run check "$scenario" --trace-dir "$tmp/file/traces"
    expect_status 2
    expect_stderr "--trace-dir $tmp/file/traces: cannot create the directory: Not a directory"
    [ ! -s "$tmp/stdout" ] || fail "work was done before the refusal"
    ;;
  junit-in-missing-dir)
    run ci "$tmp/lib" --junit "$tmp/nowhere/results.xml"
    expect_status 2
    expect_stderr "no such directory $tmp/nowhere"
    [ ! -s "$tmp/stdout" ] || fail "work was done before the refusal"
    ;;
  symlink-loop)
    ln -s loop "$tmp/lib/loop"
    run ci "$tmp/lib"
    expect_status 2
    expect_stderr "$tmp/lib/loop: cannot tell what it is: Too many levels of symbolic links"
    ;;
  folder-link-loop)
    # ci reads subfolders: a symbolic link back up the tree is refused, not followed forever.
    mkdir "$tmp/lib/sub"
    ln -s .. "$tmp/lib/sub/up"
    run ci "$tmp/lib"
    expect_status 2
    expect_stderr "$tmp/lib/sub/up: this folder is reached twice"
    [ ! -s "$tmp/stdout" ] || fail "work was done before the refusal"
    ;;
  toml-not-a-file)
    mkdir "$tmp/lib/folder.toml"
    run ci "$tmp/lib"
    expect_status 2
    expect_stderr "$tmp/lib/folder.toml: not a regular file"
    ;;
  json-from-non-utf8-name)
    name=$(printf 'bad\377name.toml')
    cp "$scenario" "$tmp/lib/$name"
    run check "$tmp/lib/$name" --format json
    expect_status 0
    grep -q '"schema": "dmcheck-report/2"' "$tmp/stdout" || fail "no JSON report"
    ;;
  output-full)
    [ -w /dev/full ] || { echo "skipped: no /dev/full"; exit 0; }
    "$dmcheck" check "$scenario" --format json >/dev/full 2>"$tmp/stderr"
    status=$?
    : >"$tmp/stdout"
    expect_status 4
    expect_stderr "dmcheck: internal error: "
    expect_stderr "No space left on device"
    ;;
  *)
    echo "unknown case $case"
    exit 2
    ;;
esac
echo "ok: $case"
