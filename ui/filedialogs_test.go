package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/ui/screen"
)

// dialogEntry is the entry of the top dialog whose text is text.
func (f *fixture) dialogEntry(text string) *widget.Entry {
	f.t.Helper()
	for _, e := range f.dialogEntries() {
		if e.Text == text {
			return e
		}
	}
	f.t.Fatalf("no entry %q in the dialog", text)
	return nil
}

// The register's export goes through the window's own file dialog: in
// French (no « Home », no « Computer »), proposing registre-DATE.csv in the
// folder last used for it; the file is written whole, and replacing it is
// asked first (R-REG-5, issue #20).
func TestRegisterExportThroughDialog(t *testing.T) {
	f := newFixture(t)
	u := f.u
	dir := t.TempDir()
	f.app.Preferences().SetString("files.last.register-export", dir)
	f.login("dpo.leroy")
	test.Tap(u.nav.item("register"))
	s := screenAs[*registerScreen](t, u)
	test.Tap(s.exportCSV)
	name := "registre-" + u.now().In(u.loc).Format("20060102") + ".csv"
	f.mustSee("save dialog", u.t("files.title.save"), u.t("files.place.root"), u.t("files.name"), dir)
	for _, english := range []string{"Home", "Computer"} {
		f.mustNotSee("save dialog", english)
	}
	f.dialogEntry(name)
	f.tapButton(u.t("files.save"))
	u.Wait()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil || !strings.Contains(string(b), "N° de dossier;") {
		t.Fatalf("export %q: %v", b, err)
	}
	if f.win.Canvas().Overlays().Top() != nil {
		t.Fatal("the dialog stays open after saving")
	}

	// Again: the same folder, and a question before replacing.
	test.Tap(s.exportCSV)
	f.mustSee("second export", dir)
	f.tapButton(u.t("files.save"))
	f.mustSee("replace question", u.t("files.overwrite", "Name", name))
	f.tapButton(u.t("files.overwrite.replace"))
	u.Wait()
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("%d files in the folder, want the export alone", len(ents))
	}
}

// A printed document saved instead of printed goes through the same
// dialog, which keeps its extension (issue #20).
func TestSaveAsThroughDialog(t *testing.T) {
	f := newFixture(t)
	u := f.u
	dir := t.TempDir()
	f.app.Preferences().SetString("files.last.print", dir)
	f.login("o.martin")
	u.saveAs("fiche.pdf", []byte("%PDF-1.4"))
	test.Type(f.dialogEntry("fiche.pdf"), "fiche-registre")
	f.tapButton(u.t("files.save"))
	if b, err := os.ReadFile(filepath.Join(dir, "fiche-registre.pdf")); err != nil || string(b) != "%PDF-1.4" {
		t.Fatalf("saved %q: %v", b, err)
	}
}

// The folder dialog of the settings and of the first run chooses the
// folder shown, opening in the last one chosen (issue #20).
func TestFolderDialog(t *testing.T) {
	f := newFixture(t)
	u := f.u
	dir := t.TempDir()
	f.app.Preferences().SetString("files.last.folder", dir)
	var got string
	screen.ShowFolderDialog(f.win, func(p string) { got = p })
	f.mustSee("folder dialog", u.t("files.title.folder"), u.t("files.chosen", "Path", dir))
	f.tapButton(u.t("files.choose"))
	if got != dir {
		t.Fatalf("chose %q, want %q", got, dir)
	}
}
