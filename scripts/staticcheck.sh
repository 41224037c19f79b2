#!/usr/bin/env bash
# Builds staticcheck at a pinned version from the Go module proxy once, caches
# the binary and prints its path on stdout (progress goes to stderr).
#
#   "$(scripts/staticcheck.sh)" -tags customenv ./...   # ~1 minute cold, instant when cached
#
# Cache: ${MILEO_CACHE:-$HOME/.cache/mileo-extract}/staticcheck-v0.8.2/staticcheck
# Bump the version here (and build with a Go at least as new as go.mod's).
set -euo pipefail

version=v0.8.2
root=${MILEO_CACHE:-$HOME/.cache/mileo-extract}
dir=$root/staticcheck-$version
bin=$dir/staticcheck

if [ -x "$bin" ]; then
	echo "$bin"
	exit 0
fi

mkdir -p "$dir"
# One build at a time, even when several make runs ask together.
exec 9>"$dir/.lock"
if command -v flock >/dev/null; then
	flock 9
fi
if [ -x "$bin" ]; then
	echo "$bin"
	exit 0
fi

command -v go >/dev/null || { echo "staticcheck.sh: go not found" >&2; exit 1; }
echo "staticcheck.sh: installing honnef.co/go/tools/cmd/staticcheck@$version from the Go module proxy" >&2
# Outside the module (its go.mod must not pin staticcheck's dependencies) and
# without the project's GOFLAGS (-tags, -mod) which are not staticcheck's.
(cd "$dir" && GOFLAGS= GOBIN="$dir/tmp" go install "honnef.co/go/tools/cmd/staticcheck@$version")
mv "$dir/tmp/staticcheck" "$bin"
rmdir "$dir/tmp"
"$bin" -version >&2
echo "$bin"
