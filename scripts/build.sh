#!/bin/sh
# Configures and builds nnscope in a build directory (default build/) outside the source
# tree, so that a normal and a sanitizer build can live side by side.
# Usage: scripts/build.sh [BUILD_DIR] [configure options...]
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-build}
[ $# -gt 0 ] && shift

cd "$top"
if [ ! -x configure ] || [ configure.ac -nt configure ]; then
  autoreconf -fi
fi
if [ -f config.status ]; then
  echo "build.sh: the source tree is configured in place, so automake cannot build in $build_dir;" >&2
  echo "build.sh: run 'make distclean' in $top first" >&2
  exit 1
fi

mkdir -p "$build_dir"
cd "$build_dir"
if [ ! -f config.status ]; then
  "$top/configure" "$@"
fi
make -j"$(nproc)"
