#!/bin/sh
# Benchmarks nnscope's engine against PyTorch and writes the table to docs/benchmarks.md.
#
# Usage: bench/engine_vs_pytorch.sh [--threads N] [--repeats N] [--cases 'conv digits,...'] [--no-write]
# Environment: NNSCOPE_BUILD_DIR, the configured build tree (default: the source tree).
#
# Builds libnn, the digits and the two benchmark programs, then runs
# bench/engine_vs_pytorch.py with Debian's python3, which has python3-torch. Takes a few
# minutes; it is never run by the tests. Build without --enable-sanitizers, because a
# sanitizer build is several times slower and its timings mean nothing.
set -eu

source_dir=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${NNSCOPE_BUILD_DIR:-$source_dir}

[ -f "$build_dir/bench/Makefile" ] ||
  { echo "engine_vs_pytorch.sh: $build_dir is not a configured build tree; run ./configure or set NNSCOPE_BUILD_DIR" >&2; exit 1; }
if grep -q "^SANITIZER_CFLAGS=.*-fsanitize" "$build_dir/config.log" 2>/dev/null; then
  echo "engine_vs_pytorch.sh: $build_dir is a sanitizer build; benchmark a build configured without --enable-sanitizers" >&2
  exit 1
fi
/usr/bin/python3 -c 'import torch' 2>/dev/null ||
  { echo "engine_vs_pytorch.sh: /usr/bin/python3 cannot import torch; install the Debian package python3-torch" >&2; exit 1; }

make -s -C "$build_dir/nn"
make -s -C "$build_dir/data"
make -s -C "$build_dir/bench" bench-programs

exec /usr/bin/python3 "$source_dir/bench/engine_vs_pytorch.py" --build-dir "$build_dir" "$@"
