#!/bin/sh
# Installs the Debian packages that building, running and testing nnscope need.
# Usage: scripts/install-deps.sh [build|run|test|bench|all]   (default: all)
#   build: compile the kernel; run: also Jupyter Notebook and the datasets;
#   test: also the test tools; bench: also ipykernel and PyTorch to compare against.
# Run as root, or with sudo available. Safe to run again: apt-get skips what is present.
set -eu

what=${1:-all}

build_pkgs="build-essential autoconf automake libtool pkg-config
  libzmq3-dev libjansson-dev uuid-dev libssl-dev libcairo2-dev zlib1g-dev
  libopenblas-dev fonts-dejavu-core"
run_pkgs="jupyter-notebook python3-notebook jupyter-client python3-jupyter-client
  python3-zmq jupyter-nbconvert dataset-fashion-mnist"
test_pkgs="jupyter-console python3-nbconvert python3-nbclient python3-nbformat
  python3-jupyter-kernel-test python3-pytest python3-pytest-timeout python3-numpy
  chromium"
bench_pkgs="python3-ipykernel python3-torch python3-numpy"

case "$what" in
  build) pkgs=$build_pkgs ;;
  run) pkgs="$build_pkgs $run_pkgs" ;;
  test) pkgs="$build_pkgs $run_pkgs $test_pkgs" ;;
  bench) pkgs="$build_pkgs $run_pkgs $bench_pkgs" ;;
  all) pkgs="$build_pkgs $run_pkgs $test_pkgs $bench_pkgs" ;;
  *) echo "install-deps.sh: unknown set '$what'; use build, run, test, bench or all" >&2; exit 2 ;;
esac

sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps.sh: run as root or install sudo" >&2; exit 1; }
  sudo=sudo
fi

missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "install-deps.sh: installing$missing"
  $sudo apt-get update -qq
  # NodeSource's nodejs is preinstalled; never pull Debian's npm or nodejs, which conflict with it.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi
