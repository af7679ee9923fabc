#!/bin/sh
# conform_signal.sh DMCHECK SIGNAL [twice]: a signal during a conformance run stops it cleanly.
# Once the guest kernel is booting, SIGNAL is sent to dmcheck; it must exit 3 with the partial
# result, leave no process of the guest running, and leave nothing in $TMPDIR or in $HOME/.uml.
# With "twice", a second signal follows at once: dmcheck dies of it, and its kill hook takes the
# guest's process group with it (temporary files may then stay behind).
dmcheck=$1
signal=$2
twice=$3
root=$(mktemp -d) || exit 1
export TMPDIR="$root/tmp" HOME="$root/home"
mkdir "$TMPDIR" "$HOME"
# Every guest process carries the run's temporary folder in its command line.
guests() { pgrep -f "DMCHECK_DIR=$TMPDIR/" ; }
cleanup() { pkill -KILL -f "DMCHECK_DIR=$TMPDIR/"; rm -rf "$root"; }
trap cleanup EXIT
"$dmcheck" conform --depth 1 --walks 40 --divergence-dir "$root/div" >"$root/out" 2>&1 &
pid=$!
# Wait for the guest to be booting: its process appears once traces and fixtures are made.
i=0
until guests >/dev/null; do
  i=$((i + 1))
  if [ $i -gt 600 ] || ! kill -0 $pid 2>/dev/null; then
    cat "$root/out"; echo "the guest never started"; exit 1
  fi
  sleep 0.1
done
grep -q '^generated ' "$root/out" || { cat "$root/out"; echo "no progress line"; exit 1; }
if [ "$twice" != twice ]; then
  # Let the guest answer a few traces' requests first, so some traces finish before the stop.
  i=0
  until [ "$(cat "$TMPDIR"/dmcheck-uml-*/observations.jsonl 2>/dev/null | wc -l)" -ge 40 ]; do
    i=$((i + 1))
    if [ $i -gt 600 ] || ! guests >/dev/null; then
      cat "$root/out"; echo "the guest answered no requests"; exit 1
    fi
    sleep 0.05
  done
fi
kill -s "$signal" $pid
if [ "$twice" = twice ]; then
  kill -s "$signal" $pid
  wait $pid
  status=$?
  sleep 0.2  # the kernel reaps the killed group
  if guests; then echo "guest processes left running"; exit 1; fi
  # Usually the second signal kills dmcheck (status 128+N); if the first was already fully
  # handled when it came, the run ended with 3. Either way no guest may be left.
  [ "$status" -gt 128 ] || [ "$status" -eq 3 ] || { cat "$root/out"; echo "exit status $status"; exit 1; }
  exit 0
fi
wait $pid
status=$?
cat "$root/out"
[ "$status" -eq 3 ] || { echo "exit status $status, expected 3"; exit 1; }
grep -q "stopped by SIG$signal: [1-9][0-9]* traces not run" "$root/out" ||
  { echo "no report of the stop"; exit 1; }
grep -Eq "traces [1-9][0-9]* +steps [1-9]" "$root/out" || { echo "no partial result"; exit 1; }
if guests; then echo "guest processes left running"; exit 1; fi
[ -z "$(ls -A "$TMPDIR")" ] || { echo "left in TMPDIR:"; ls -A "$TMPDIR"; exit 1; }
[ ! -e "$HOME/.uml" ] || { echo "left: HOME/.uml"; exit 1; }
