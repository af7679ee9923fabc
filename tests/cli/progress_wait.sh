# Sourced by the signal tests. wait_for_progress PID STDERR_FILE: waits (up to two minutes) for
# the first progress line dmcheck writes to STDERR_FILE; fails (through the caller's `fail`) if
# the process ends first or no line comes.
wait_for_progress() {
  tries=0
  until grep -q 'states' "$2"; do
    kill -0 "$1" 2>/dev/null || fail "dmcheck ended before the signal"
    tries=$((tries + 1))
    [ "$tries" -lt 1200 ] || { kill -KILL "$1"; fail "no progress line"; }
    sleep 0.1
  done
}
