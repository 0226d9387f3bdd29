#!/bin/sh
# Sets up nnscope and opens its notebooks: installs the Debian packages, builds in build/,
# installs the kernelspec for this user and starts Jupyter Notebook on 127.0.0.1.
# Usage: scripts/notebook.sh [extra jupyter-notebook options...]
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

scripts/install-deps.sh run
scripts/build.sh build
build/kernel/nnscope install --user

root_flag=""
[ "$(id -u)" = 0 ] && root_flag="--allow-root"
exec /usr/bin/jupyter notebook --ip=127.0.0.1 --notebook-dir="$top/notebooks" $root_flag "$@"
