#!/usr/bin/env bash
# Creates the full demo VMS archive at DEMO once (built aside, then moved, so
# an interrupted run never leaves a half archive). Usage: demo-archive.sh BIN DEMO
set -euo pipefail
BIN=$1 DEMO=$2
[ -f "$DEMO/demo.json" ] && exit 0
echo "Creating the demo VMS archive in $DEMO (3 cameras, 10 minutes; a few minutes, once)…" >&2
rm -rf "$DEMO.tmp" && mkdir -p "$(dirname "$DEMO")"
"$BIN" demo "$DEMO.tmp" >/dev/null
# The archive records its own folder in demo.json: rewrite it after the move.
sed -i "s#folder:$DEMO.tmp#folder:$DEMO#" "$DEMO.tmp/demo.json"
mv "$DEMO.tmp" "$DEMO"
