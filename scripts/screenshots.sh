#!/usr/bin/env bash
# make screenshots: renders every screen of the desktop application into
# docs/screenshots/ with Fyne's test driver (no display needed), at
# 1280×800 and at 1920×1080 (file names end with the size), then starts
# the real binary under Xvfb and keeps a screenshot of its window.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/goenv.sh
out=$PWD/docs/screenshots
mkdir -p "$out"
# Screens renamed or gone leave no stale picture behind.
rm -f "$out"/*.png
MILEO_SCREENSHOTS=$out go test -count=1 -run '^TestScreenshots$' ./ui/
if command -v Xvfb >/dev/null && command -v import >/dev/null; then
	MILEO_SMOKE_SHOT=$out/00-window-xvfb.png go test -count=1 -run '^TestGUISmoke$' .
else
	echo "screenshots: Xvfb or ImageMagick missing, no screenshot of the real window (scripts/deps.sh test)" >&2
fi
ls "$out"
