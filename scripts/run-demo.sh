#!/usr/bin/env bash
# make run: create the demo VMS archive on first run, then start the app on it.
set -euo pipefail
BIN=$1 DEMO=$2
"$(dirname "$0")/demo-archive.sh" "$BIN" "$DEMO"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${MILEO_HEADLESS:-}" ] && "$BIN" gui --check >/dev/null 2>&1; then
  exec "$BIN" gui --demo "$DEMO"
fi
# Headless: a demo export of two minutes of every camera, encrypted.
start=$(sed -n 's/^  "start": "\(.*\)",$/\1/p' "$DEMO/demo.json")
from=$(date -u -d "$start + 3 minutes 30 seconds" +%Y-%m-%dT%H:%M:%SZ)
to=$(date -u -d "$start + 5 minutes 40 seconds" +%Y-%m-%dT%H:%M:%SZ)
out="$(dirname "$DEMO")/exports/demo-$(date +%Y%m%d-%H%M%S)"
echo "Headless demo export: cameras entree,caisses,accueil from $from to $to → $out" >&2
set +e
summary=$("$BIN" export --source "folder:$DEMO" --camera entree,caisses,accueil --from "$from" --to "$to" --out "$out" --encrypt --case DEMO-0001)
rc=$?
set -e
[ $rc -eq 0 ] || [ $rc -eq 3 ] || { echo "$summary" >&2; exit $rc; }
# The password never touches the disk (R-ENC-2): keep it out of the saved summary.
pw=$(echo "$summary" | sed -n 's/^  "password": "\(.*\)",$/\1/p')
echo "$summary" | grep -v '"password"' > "$out.json"
echo
echo "Encrypted export: $out/archive.zip   (summary: $out.json)"
echo "Password (shown once — send it by another channel than the file): $pw"
[ $rc -eq 3 ] && echo "Completed with gaps (the demo camera 'caisses' has a 30 s hole at 08:05:00): see the summary."
echo "Open it with: 7z x -p'$pw' $out/archive.zip"
