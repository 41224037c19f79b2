#!/usr/bin/env bash
# make bench: runs the Go benchmarks that time each step of Mileo Extract and
# the ffmpeg / 7z CLI doing the same work in the same run, then prints ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-bin/mileo-extract}
DEMO=${MILEO_BENCH_DEMO:-$HOME/.local/share/mileo-extract/demo-vms}
if [ ! -f "$DEMO/demo.json" ]; then
  echo "bench: creating the full demo archive in $DEMO (once)…" >&2
  mkdir -p "$(dirname "$DEMO")" && "$BIN" demo "$DEMO.tmp" >/dev/null && sed -i "s#$DEMO.tmp#$DEMO#" "$DEMO.tmp/demo.json" && mv "$DEMO.tmp" "$DEMO"
fi
export MILEO_BENCH_DEMO=$DEMO
. scripts/goenv.sh
out=$(mktemp)
pkgs=./export/
[ -d anonymize ] && pkgs="$pkgs ./anonymize/"
go test -run '^$' -bench "${BENCH:-.}" -benchtime 1x -timeout 60m $pkgs 2>&1 | tee "$out" >&2 || true
awk '
/^Benchmark/ {
  name=$1; sub(/-[0-9]+$/, "", name); n=split(name, p, "/"); base=p[1]; side=p[n];
  for (i=2;i<=NF;i++) if ($(i+1)=="ns/op") t[base,side]=$i/1e9;
  for (i=2;i<=NF;i++) if ($(i+1)=="fps") fps[base,side]=$i;
  for (i=2;i<=NF;i++) if ($(i+1)=="recall") rec[base,side]=$i;
  for (i=2;i<=NF;i++) if ($(i+1)=="peak-MB") mem[base,side]=$i;
  if (!(base in seen)) { seen[base]=1; order[++k]=base }
  sides[base]=sides[base] " " side
}
END {
  print "| benchmark | Mileo Extract | reference CLI | ratio (ours / theirs) |"
  print "|---|---|---|---|"
  for (j=1;j<=k;j++) {
    b=order[j]; split(sides[b], s, " "); ours=s[1]; ref=s[2];
    extra=""
    if ((b,ours) in rec) extra=sprintf(", recall %.3f", rec[b,ours])
    if ((b,ours) in mem) extra=extra sprintf(", peak %d MB", mem[b,ours])
    if ((b,ours) in fps && (b,ref) in fps) {
      printf "| %s | %.1f fps%s | %.1f fps | %.2f× the speed |\n", b, fps[b,ours], extra, fps[b,ref], fps[b,ours]/fps[b,ref]
    } else if ((b,ours) in t && (b,ref) in t) {
      printf "| %s | %.2f s%s | %.2f s (%s) | %.2f× the time |\n", b, t[b,ours], extra, t[b,ref], ref, t[b,ours]/t[b,ref]
    }
  }
}' "$out" | tee docs/bench.md
rm -f "$out"
