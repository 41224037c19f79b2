#!/usr/bin/env bash
# The procedure on a demo register, by two different people (R-SOD-1): the
# operator files an incident request and confirms its range, the security
# manager authorizes it, the operator exports it with `case export` into OUT
# (a new folder). The free export of earlier versions is closed (issue #15):
# footage leaves only through an authorized case.
#
# Usage: demo-case.sh BIN DEMO DATA OUT FROM TO CAMERAS 3>PASSWORD
#
# DATA is the demo register of the demo archive DEMO, made on first use by
# `mileo-extract demo-register` (its accounts in DATA/demo-users.txt, demo
# only). Prints the case number and the export's lines on stdout; the
# archive password goes to descriptor 3, which the caller opens (R-ENC-2:
# never into redirected output). Exits with case export's code (3: complete
# with gaps).
set -euo pipefail
umask 077
BIN=$1 DEMO=$2 DATA=$3 OUT=$4 FROM=$5 TO=$6 CAMERAS=$7
"$BIN" demo-register "$DEMO" --data "$DATA" >/dev/null
export MILEO_DATA=$DATA
# as USER CMD…: runs CMD signed by USER, whose demo password is in demo-users.txt.
as() {
  local user=$1; shift
  MILEO_PASSWORD=$(awk -F'\t' -v u="$user" '$1 == u { print $3 }' "$DATA/demo-users.txt") "$BIN" "$@" --as "$user"
}
n=$(as operator case new --reason incident --detail "démonstration" --requester "Chef de poste" \
  --org "Site de démonstration" --contact "poste 12" --recipient "Commissariat (démonstration)" \
  --from "$FROM" --to "$TO" --camera "$CAMERAS" --justification "Démonstration de Mileo Extract (make run)")
as operator case confirm "$n" --how téléphone --with "le chef de poste" >/dev/null
as rs case authorize "$n" --note "démonstration" >/dev/null
echo "Case $n: filed and confirmed by operator, authorized by rs (security manager), exported by operator"
as operator case export "$n" --source "folder:$DEMO" --out "$OUT" --password-fd 3
