#!/bin/sh
# Sets up and runs every nnscope test on a fresh Debian 12 machine: installs the Debian
# packages, builds once with AddressSanitizer and UndefinedBehaviorSanitizer and runs the
# unit and protocol tests there, then builds normally and runs everything.
# Usage: scripts/test-all.sh   (as root, or with sudo for apt-get)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

scripts/install-deps.sh test

echo "== sanitizer build (build-asan/): unit and protocol tests"
scripts/build.sh build-asan --enable-sanitizers
# ASan makes the learning checks several times slower; the normal build below runs them.
NNSCOPE_SKIP_LEARNING=1 make -C build-asan check
NNSCOPE_BUILD_DIR="$top/build-asan" NNSCOPE_BIN="$top/build-asan/kernel/nnscope" \
  /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/kernel

echo "== normal build (build/): all tests"
scripts/build.sh build
make -C build check
NNSCOPE_BUILD_DIR="$top/build" NNSCOPE_BIN="$top/build/kernel/nnscope" \
  /usr/bin/python3 -m pytest -q -p no:cacheprovider tests
