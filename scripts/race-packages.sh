#!/usr/bin/env bash
# Prints the module's packages whose test binary links no cgo, one a line:
# the packages `make race` runs under the race detector. A package is cgo when
# it, or any non-standard package its tests link (test imports included), has
# cgo files: the gocv and go-astiav wrappers and everything above them, and
# Fyne's GL driver. Computed from `go list`, so new packages are classified
# without editing this file. Arguments are passed to go list (e.g. -tags).
#
#   scripts/race-packages.sh -tags customenv
set -euo pipefail

# Every non-standard package with cgo files that any test binary links.
cgo=$(go list "$@" -deps -test -f '{{if not .Standard}}{{if .CgoFiles}}{{.ImportPath}}{{end}}{{end}}' ./... | sed 's/ \[.*\]$//' | sort -u)
[ -n "$cgo" ] || { echo "race-packages.sh: found no cgo package at all: go list is wrong" >&2; exit 1; }

# One line per test binary: "<pkg>.test|<dep>,<dep>,..." (a dep may carry a
# " [pkg.test]" suffix when it is recompiled for the test).
go list "$@" -test -f '{{.ImportPath}}|{{join .Deps ","}}' ./... |
	awk -v cgo="$cgo" '
	BEGIN { n = split(cgo, c, "\n"); for (i = 1; i <= n; i++) iscgo[c[i]] = 1 }
	{
		split($0, f, "|")
		if (f[1] !~ /\.test$/) next
		pkg = substr(f[1], 1, length(f[1]) - 5)
		bad = 0
		m = split(f[2], d, ",")
		for (i = 1; i <= m; i++) {
			dep = d[i]; sub(/ \[.*\]$/, "", dep)
			if (dep in iscgo) { bad = 1; break }
		}
		if (!bad) print pkg
	}' | sort
