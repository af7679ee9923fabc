#!/bin/sh
# expect.sh STATUS TEXT COMMAND...: runs COMMAND and passes when it exits with STATUS and its
# output (stdout and stderr) contains TEXT.
want=$1
text=$2
shift 2
out=$("$@" 2>&1)
status=$?
printf '%s\n' "$out"
if [ "$status" -ne "$want" ]; then
  echo "expect.sh: exit status $status, expected $want" >&2
  exit 1
fi
case $out in
  *"$text"*) ;;
  *) echo "expect.sh: output lacks: $text" >&2; exit 1 ;;
esac
