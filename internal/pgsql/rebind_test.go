package pgsql

import (
	"strconv"
	"strings"
	"testing"
)

func TestRebind(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT a FROM t WHERE b = ? AND c IN (?, ?)`, `SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)`},
		{`SELECT '?', "a?" FROM t WHERE x = ?`, `SELECT '?', "a?" FROM t WHERE x = $1`},
		{`SELECT 'it''s ?' WHERE x = ?`, `SELECT 'it''s ?' WHERE x = $1`},
		{"-- what?\nSELECT ?", "-- what?\nSELECT $1"},
		{`/* ? */ SELECT ?`, `/* ? */ SELECT $1`},
		{`CREATE FUNCTION f() AS $$ SELECT '?' $$; SELECT ?`, `CREATE FUNCTION f() AS $$ SELECT '?' $$; SELECT $1`},
		{`DO $body$ ? $body$; SELECT ?`, `DO $body$ ? $body$; SELECT $1`},
		{`SELECT $1`, `SELECT $1`},
		{`SELECT a$b$, ?`, `SELECT a$b$, $1`},
		{`SELECT 'unclosed ?`, `SELECT 'unclosed ?`},
	} {
		if got := Rebind(tc.in); got != tc.want {
			t.Errorf("Rebind(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// rebind never panics, changes nothing but the ? it replaces, and leaves
// a query without ? as it is.
func FuzzRebind(f *testing.F) {
	for _, s := range []string{`SELECT ? FROM t WHERE a = '?'`, "$$?$$ ?", "--?\n?", "/*?*/?", `"?"?`, "$1$?", "$a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		got := Rebind(q)
		if !strings.Contains(q, "?") && got != q {
			t.Fatalf("Rebind(%q) = %q", q, got)
		}
		// Each ? replaced is numbered in order: the last one is $d.
		d := strings.Count(q, "?") - strings.Count(got, "?")
		if d < 0 || d > 0 && !strings.Contains(got, "$"+strconv.Itoa(d)) {
			t.Fatalf("Rebind(%q) = %q", q, got)
		}
	})
}
