#!/bin/sh
# Sets up nnscope and opens its notebooks: installs the Debian packages, builds in build/,
# installs the kernelspec for this user and starts Jupyter Notebook on 127.0.0.1.
#
# Notebook saves outputs into the notebooks it runs, so the server works on a copy:
# $NNSCOPE_NOTEBOOKS (default ~/nnscope-notebooks). Files already there are kept, so a
# student's work survives running this script again.
# Usage: scripts/notebook.sh [extra jupyter-notebook options...]
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

scripts/install-deps.sh run
scripts/build.sh build
build/kernel/nnscope install --user

workdir=${NNSCOPE_NOTEBOOKS:-$HOME/nnscope-notebooks}
mkdir -p "$workdir"
for file in notebooks/*; do
  target="$workdir/$(basename "$file")"
  if [ -e "$target" ]; then
    echo "notebook.sh: keeping $target (delete it to get the original back)"
  else
    cp "$file" "$target"
  fi
done

root_flag=""
[ "$(id -u)" = 0 ] && root_flag="--allow-root"
exec /usr/bin/jupyter notebook --ip=127.0.0.1 --notebook-dir="$workdir" $root_flag "$@"
