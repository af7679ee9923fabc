#!/bin/sh
# agent_refuses.sh AGENT: the guest agent run on the host as an ordinary process refuses to run,
# with a clear message, and touches nothing (it writes no observations, mounts nothing).
agent=$1
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
mounts_before=$(cat /proc/self/mountinfo | wc -l)
DMCHECK_DIR=$dir DMCHECK_MODULES=$dir "$agent" 2>"$dir.err"
status=$?
err=$(cat "$dir.err"); rm -f "$dir.err"
echo "exit status $status: $err"
[ "$status" -ne 0 ] || { echo "the agent ran on the host"; exit 1; }
case $err in
  *"refusing to run: not process 1"*) ;;
  *) echo "no clear refusal"; exit 1 ;;
esac
[ -z "$(ls -A "$dir")" ] || { echo "the agent wrote into DMCHECK_DIR:"; ls -A "$dir"; exit 1; }
[ "$(cat /proc/self/mountinfo | wc -l)" -eq "$mounts_before" ] || { echo "mounts changed"; exit 1; }
