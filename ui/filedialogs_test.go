package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/papers"
	"mileo.tech/extract/ui/casework"
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
	screen.ShowFolderDialog(f.win, f.u.tr, "folder", func(p string) { got = p })
	f.mustSee("folder dialog", u.t("files.title.folder"), u.t("files.chosen", "Path", dir))
	f.tapButton(u.t("files.choose"))
	if got != dir {
		t.Fatalf("chose %q, want %q", got, dir)
	}
}

// fileLine is the line of the file dialog's list that names name.
func (f *fixture) fileLine(name string) fyne.DoubleTappable {
	f.t.Helper()
	for _, o := range test.LaidOutObjects(f.win.Canvas().Overlays().Top()) {
		dt, ok := o.(fyne.DoubleTappable)
		if !ok || !o.Visible() {
			continue
		}
		for _, c := range test.LaidOutObjects(o) {
			if l, ok := c.(*widget.Label); ok && l.Text == name {
				return dt
			}
		}
	}
	f.t.Fatalf("no line %q in the file dialog", name)
	return nil
}

// Attaching the signed receipt takes two clicks: « Joindre le récépissé
// signé », then a double click on the scan in the folder used last time
// (R-DLV-1, issue #20: it took 12 clicks in Fyne's dialog).
func TestAttachReceiptInTwoClicks(t *testing.T) {
	f := newFixture(t)
	u := f.u
	number, ds := f.deliveredThroughScreens()
	test.Tap(ds.PrintReceipt)
	u.Wait()
	scan, err := os.ReadFile(filepath.Join(u.printDir(), number+"-"+papers.DocReceipt+".pdf"))
	if err != nil {
		t.Fatal(err)
	}
	scans := t.TempDir()
	if err := os.WriteFile(filepath.Join(scans, "recepisse-signe.pdf"), scan, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(scans, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	f.app.Preferences().SetString("files.last.receipt", scans)

	cs := u.showCase(number)
	u.Wait()
	test.Tap(cs.Actions[actAttach]) // click 1
	f.mustSee("the scan dialog", u.t("files.title.open"), scans, "recepisse-signe.pdf")
	f.mustNotSee("the scan dialog", "notes.txt")
	test.DoubleTap(f.fileLine("recepisse-signe.pdf")) // click 2
	u.Wait()
	cs = screenAs[*casework.CaseScreen](t, u)
	if len(cs.Case.Attachments) != 1 || cs.Case.Attachments[0].Name != "recepisse-signe.pdf" || cs.Primary != actClose {
		t.Fatalf("attachments %+v, primary %q: %s", cs.Case.Attachments, cs.Primary, cs.Message.Text)
	}
}
