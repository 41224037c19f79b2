package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mileo.tech/extract/papers"
	"mileo.tech/extract/procedure"
)

// R-RET-1: what the window prints for the viewer is not kept in clear in
// the data folder: it goes to a private folder of the session, erased at
// logout; the prints folder earlier versions kept forever is removed.
func TestPrintsNotKept(t *testing.T) {
	f := newAccountsFixture(t)
	legacy := filepath.Join(f.dir, "data", "prints")
	if err := os.MkdirAll(legacy, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(legacy, "EXT-2025-0001-sheet.pdf"), []byte("%PDF-1.4 old"), 0o644); err != nil {
		t.Fatal(err)
	}
	f.start()
	if _, err := os.Stat(legacy); !os.IsNotExist(err) {
		t.Fatalf("the legacy prints folder survived: %v", err)
	}
	u := f.u
	f.login("o.martin")
	number := f.fileRequest(procedure.ReasonIncident, "entree")
	u.printCase(number, papers.DocSheet, "")
	u.Wait()
	printed := u.lastPrint
	if printed == "" || strings.HasPrefix(printed, f.dir) {
		t.Fatalf("printed to %q, inside the test's folders", printed)
	}
	st, err := os.Stat(printed)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("printed document: %v %v", st, err)
	}
	if dst, err := os.Stat(filepath.Dir(printed)); err != nil || dst.Mode().Perm() != 0o700 {
		t.Fatalf("prints folder: %v %v", dst, err)
	}
	f.login("rs.bernard") // logs o.martin out first
	if _, err := os.Stat(printed); !os.IsNotExist(err) {
		t.Fatalf("the printed document survived the logout: %v", err)
	}
}
