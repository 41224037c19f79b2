#!/usr/bin/env bash
# Regenerates the README's pictures of the printed documents: page 1 and the
# signature page of the register sheet (docs/register-sheet-1.png, -3.png) and
# page 1 of the receipt (docs/receipt-1.png), from the CLI walk-through of the
# README (case EXT-2026-0001, an incident at "Magasin Lyon Part-Dieu") run on
# a short demo archive made for the purpose. Demo passwords only.
#
# Usage: scripts/docs-sheets.sh BIN   (BIN: a built mileo-extract)
set -euo pipefail
umask 077
BIN=$(realpath "$1")
DOCS=$(cd "$(dirname "$0")/.." && pwd)/docs
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export TZ=UTC MILEO_DATA=$W/data
"$BIN" demo "$W/demo" --short >/dev/null
start=$(sed -n 's/^  "start": "\(.*\)",$/\1/p' "$W/demo/demo.json")
from=$(date -u -d "$start + 30 seconds" +%Y-%m-%dT%H:%M:%SZ)
to=$(date -u -d "$start + 90 seconds" +%Y-%m-%dT%H:%M:%SZ)
ADMIN='Gestion-Comptes-9!'
MILEO_PASSWORD=$ADMIN "$BIN" init --admin admin --site "Magasin Lyon Part-Dieu" >/dev/null
declare -A PW=([alice]='Camera-Salle-42!' [bruno]='Secur1ty-Chef-77!')
adduser() { # NAME ROLE: the one-time password, then the person's own
  local otp
  otp=$(MILEO_PASSWORD=$ADMIN "$BIN" user add "$1" --role "$2" --as admin | sed -n 's/.* : \([^ ]*\)$/\1/p' | head -1)
  MILEO_PASSWORD=$otp MILEO_NEW_PASSWORD=${PW[$1]} "$BIN" user passwd --as "$1" >/dev/null
}
adduser alice operator
adduser bruno security_manager
as() { local u=$1; shift; MILEO_PASSWORD=${PW[$u]} TZ=Europe/Paris "$BIN" "$@" --as "$u" >/dev/null; }
as alice case new --reason incident --detail "vol à l'étalage" \
  --requester "M. Martin" --org Magasin --contact martin@example.fr --recipient "Commissariat de Lyon 3e" \
  --from "$from" --to "$to" --camera entree,caisses --justification "Vol constaté à 9h01 par l'agent de caisse"
as alice case confirm EXT-2026-0001 --how phone --with "M. Martin"
as bruno case authorize EXT-2026-0001 --note "enquête interne puis plainte"
as alice case export EXT-2026-0001 --source "folder:$W/demo?tz=UTC" --out "$W/export" --password-fd 3 3>/dev/null || [ $? = 3 ] # 3: complete with gaps
as alice media add USB-0007 --type usb
as alice case deliver EXT-2026-0001 --support usb --media USB-0007 --mode hand --seal S-0042 \
  --recipient-name "Lt. Durand" --recipient-org "Commissariat de Lyon 3e" --recipient-id "matricule 123456" \
  --password-channel phone --receipt "$W/recepisse.pdf"
printf '%%PDF-1.4 scan' >"$W/recepisse-signe.pdf"
as alice case attach EXT-2026-0001 "$W/recepisse-signe.pdf"
as alice case close EXT-2026-0001
as bruno register sheet EXT-2026-0001 --out "$W/fiche.pdf"
sig=1
n=$(pdfinfo "$W/fiche.pdf" | sed -n 's/^Pages: *//p')
for p in $(seq 1 "$n"); do
  if pdftotext -f "$p" -l "$p" "$W/fiche.pdf" - | grep -q '^Signatures$'; then sig=$p; fi
done
pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$W/fiche.pdf" "$DOCS/register-sheet-1"
pdftoppm -r 60 -png -f "$sig" -l "$sig" -singlefile "$W/fiche.pdf" "$DOCS/register-sheet-3"
pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$W/recepisse.pdf" "$DOCS/receipt-1"
echo "docs/register-sheet-1.png, docs/register-sheet-3.png (page $sig), docs/receipt-1.png"
