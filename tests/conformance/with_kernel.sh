#!/bin/sh
# with_kernel.sh BUILD-KERNEL COMMAND...: runs COMMAND (its exit status is the test's) when the
# kernel scripts/build-kernel builds is there, else exits 77, which CTest reports as skipped:
# the suite works without the build, and runs these tests where it was made. An argument
# @KERNEL@ in COMMAND is replaced by that kernel's path.
kernel=$("$1" --path)
shift
if [ ! -x "$kernel" ]; then
  echo "with_kernel.sh: no kernel at $kernel (scripts/build-kernel builds it): skipped"
  exit 77
fi
for arg; do
  shift
  [ "$arg" = "@KERNEL@" ] && arg=$kernel
  set -- "$@" "$arg"
done
exec "$@"
