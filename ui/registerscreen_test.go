package ui

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
)

type bufCloser struct{ bytes.Buffer }

func (b *bufCloser) Close() error { return nil }

// The DPO reads the register, searches it, verifies it and exports it for
// the CNIL; the export is itself an entry (R-REG-2, R-REG-5).
func TestRegisterScreen(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("o.martin")
	if u.nav.item("register") != nil {
		t.Fatal("an operator reads the whole register")
	}
	number := f.fileRequest(procedure.ReasonIncident, "entree")
	f.confirmCase()
	f.fileRequest(procedure.ReasonInsurance, "caisses")

	f.login("dpo.leroy")
	test.Tap(u.nav.item("register"))
	s := screenAs[*registerScreen](t, u)
	if len(s.all) < 3 {
		t.Fatalf("%d rows", len(s.all))
	}
	test.Type(s.search, number+" confirm")
	if len(s.shown) == 0 || len(s.shown) >= len(s.all) {
		t.Fatalf("search kept %d of %d rows", len(s.shown), len(s.all))
	}
	for _, r := range s.shown {
		if !strings.Contains(r.text, strings.ToLower(number)) {
			t.Fatalf("row %d does not match the search", r.seq)
		}
	}
	test.Tap(s.verify)
	u.Wait()
	if s.result.Importance != widget.SuccessImportance || !strings.Contains(s.result.Text, "intègre") {
		t.Fatalf("verify: %q", s.result.Text)
	}
	// The verification showed its progress to the end, with a button to
	// stop it, both gone once it is over (issue #20).
	if s.progress.Value != 1 || s.progress.Visible() || s.stop.Visible() {
		t.Fatalf("progress %v shown %v, stop shown %v", s.progress.Value, s.progress.Visible(), s.stop.Visible())
	}
	if !strings.Contains(u.header.badgeText(), "intègre") {
		t.Fatalf("badge %q", u.header.badgeText())
	}
	for _, format := range []string{"csv", "pdf"} {
		var b bufCloser
		s.exportTo(format, &b)
		u.Wait()
		if b.Len() == 0 {
			t.Fatalf("empty %s export", format)
		}
		if format == "pdf" && !bytes.HasPrefix(b.Bytes(), []byte("%PDF")) {
			t.Fatal("the PDF export is not a PDF")
		}
	}
	var b bufCloser
	s.exportTo("csv", &b)
	u.Wait()
	// R-REG-5 (rev.): one row per case, and the export itself is an entry.
	if !strings.Contains(b.String(), "N° de dossier;") || !strings.Contains(b.String(), number) {
		t.Fatalf("the register export has no row for the case:\n%s", b.String())
	}
	if n := countEntries(t, f, "register.export"); n < 3 {
		t.Fatalf("%d register exports recorded", n)
	}
}

func countEntries(t *testing.T, f *fixture, action string) int {
	t.Helper()
	var n int
	if err := f.store.ReadDB().QueryRow(`SELECT COUNT(*) FROM entries WHERE action = ?`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A register changed behind the program's back shows a red badge at
// start-up (R-REG-2).
func TestIntegrityBadgeShowsTampering(t *testing.T) {
	if _, err := exec.LookPath("sqlite3"); err != nil {
		t.Skip("sqlite3 not installed")
	}
	f := newAccountsFixture(t)
	db := filepath.Join(f.dir, "data", register.DBName)
	out, err := exec.Command("sqlite3", db, "DROP TRIGGER entries_no_update; UPDATE entries SET actor = 'mallory' WHERE seq = 3;").CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3: %v\n%s", err, out)
	}
	f.start()
	u := f.u
	if !u.integrity.done || u.integrity.err == nil {
		t.Fatalf("tampering not detected: %+v", u.integrity)
	}
	f.login("dpo.leroy")
	if got := u.header.badgeText(); got != u.t("integrity.broken") {
		t.Fatalf("badge %q", got)
	}
	d := screenAs[*dashboardScreen](t, u)
	if !strings.Contains(d.integrity.Text, "3") {
		t.Fatalf("the dashboard does not name the entry: %q", d.integrity.Text)
	}
}
