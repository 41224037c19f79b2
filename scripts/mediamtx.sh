#!/usr/bin/env bash
# Builds MediaMTX (the real server the vms/mediamtx tests run against) from the
# Go module proxy once, caches the binary and prints its path on stdout.
#
#   scripts/mediamtx.sh            # ~4 minutes cold on 2 cores, instant when cached
#
# Cache: ${MILEO_CACHE:-$HOME/.cache/mileo-extract}/mediamtx-v1.20.1/mediamtx
#
# A plain `go install` fails: the release embeds files that `go generate`
# downloads (the hls.js player) or derives from git (VERSION). We download the
# module source, copy it to a writable folder, write VERSION ourselves, put an
# empty hls.min.js where the build embeds it (the browser HLS player page is
# not used by the tests) and build with -trimpath. Progress goes to stderr.
set -euo pipefail

version=v1.20.1
root=${MILEO_CACHE:-$HOME/.cache/mileo-extract}
dir=$root/mediamtx-$version
bin=$dir/mediamtx

if [ -x "$bin" ]; then
	echo "$bin"
	exit 0
fi

mkdir -p "$dir"
# One build at a time, even when several test processes ask together.
exec 9>"$dir/.lock"
if command -v flock >/dev/null; then
	flock 9
fi
if [ -x "$bin" ]; then
	echo "$bin"
	exit 0
fi

command -v go >/dev/null || { echo "mediamtx.sh: go not found" >&2; exit 1; }

echo "mediamtx.sh: downloading github.com/bluenviron/mediamtx@$version from the Go module proxy" >&2
src=$(cd "$dir" && GOFLAGS= go mod download -json "github.com/bluenviron/mediamtx@$version" |
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$src" ] && [ -d "$src" ] || { echo "mediamtx.sh: module download failed" >&2; exit 1; }

work=$(mktemp -d "$dir/build.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
cp -R "$src/." "$work/"
chmod -R u+w "$work"

printf '%s' "$version" >"$work/internal/core/VERSION"
: >"$work/internal/servers/hls/hls.min.js"

echo "mediamtx.sh: building (this takes a few minutes once)" >&2
(
	cd "$work"
	GOFLAGS=-mod=mod CGO_ENABLED=0 nice -n 10 go build -trimpath -o "$bin.tmp" .
)
mv "$bin.tmp" "$bin"
"$bin" --help >/dev/null 2>&1 || true
echo "mediamtx.sh: built $bin" >&2
echo "$bin"
