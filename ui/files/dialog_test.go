package files

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/internal/i18n"
)

// fixture is a home folder with places, a Documents folder holding
// scans, and a window of 1280×800 in a test application.
type fixture struct {
	t    *testing.T
	app  fyne.App
	win  fyne.Window
	home string
	docs string
	env  Env
	tr   *i18n.Catalog
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, app: test.NewTempApp(t), home: t.TempDir(), tr: i18n.New("fr")}
	f.win = test.NewTempWindow(t, widget.NewLabel(""))
	f.win.Resize(fyne.NewSize(1280, 800))
	f.docs = filepath.Join(f.home, "Documents")
	mkdirs(f.t, f.home, "Documents/scans", "Documents/Archives", "Bureau", "Téléchargements", "media/CLE-USB")
	old := time.Date(2026, 11, 23, 8, 30, 0, 0, time.Local)
	for name, size := range map[string]int{"recu.pdf": 2500, "b-photo.JPG": 10, "notes.txt": 1, ".cache.pdf": 1, "Scans/../zz.png": 1 << 21} {
		p := filepath.Join(f.docs, name)
		write(t, p, strings.Repeat("x", size))
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(f.docs, "scans", "recu-signe.pdf"), "%PDF")
	f.env = Env{Home: f.home, MediaRoot: []string{filepath.Join(f.home, "media")}}
	return f
}

func (f *fixture) opts(purpose string, exts ...string) Options {
	return Options{Purpose: purpose, Extensions: exts, Env: &f.env}
}

// names lists the lines of the dialog's list, folders marked with "/".
func names(d *Dialog) []string {
	var out []string
	for _, e := range d.entries {
		n := e.name
		if e.dir {
			n += "/"
		}
		out = append(out, n)
	}
	return out
}

// row is the line of the list that shows name.
func (f *fixture) row(name string) *row {
	f.t.Helper()
	for _, o := range test.LaidOutObjects(f.win.Canvas().Overlays().Top()) {
		if r, ok := o.(*row); ok && r.id >= 0 && r.Visible() && r.name.Text == name {
			return r
		}
	}
	f.t.Fatalf("no line %q in the list", name)
	return nil
}

// texts are all the texts the dialog shows.
func (f *fixture) texts() []string {
	var out []string
	for _, o := range test.LaidOutObjects(f.win.Canvas().Overlays().Top()) {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		case *widget.Check:
			out = append(out, w.Text)
		}
	}
	return out
}

func (f *fixture) tapButton(text string) {
	f.t.Helper()
	for _, o := range test.LaidOutObjects(f.win.Canvas().Overlays().Top()) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			test.Tap(b)
			return
		}
	}
	f.t.Fatalf("no button %q in %q", text, f.texts())
}

// The scan dialog opens in Documents, lists folders first then the files
// of the accepted types, hides hidden files until asked, and speaks
// French: no « Home », no « Computer » (issue #20).
func TestOpenListsFolder(t *testing.T) {
	f := newFixture(t)
	d := Open(f.win, f.tr, f.opts("receipt", ".pdf", ".png", ".JPG"), func(string) {})
	if d.Dir() != f.docs {
		t.Fatalf("opened in %s, want %s", d.Dir(), f.docs)
	}
	if got, want := names(d), []string{"Archives/", "scans/", "b-photo.JPG", "recu.pdf", "zz.png"}; !slices.Equal(got, want) {
		t.Errorf("list %q, want %q", got, want)
	}
	test.Tap(d.hidden)
	if got := names(d); !slices.Contains(got, ".cache.pdf") {
		t.Errorf("hidden files not shown on demand: %q", got)
	}
	test.Tap(d.hidden)

	texts := strings.Join(f.texts(), "|")
	for _, want := range []string{"Ouvrir un fichier", "Dossier personnel", "Bureau", "Documents", "Téléchargements", "Supports amovibles", "CLE-USB", "Racine",
		"Nom", "Taille", "Modifié le", "Ouvrir", "Annuler", "Dossier parent", "Fichiers affichés : PDF, PNG, JPG", "Afficher les fichiers cachés",
		"23/11/2026 08:30", "2,4 Ko", "2,0 Mo"} {
		if !strings.Contains(texts, want) {
			t.Errorf("the dialog does not say %q: %s", want, texts)
		}
	}
	for _, english := range []string{"Home", "Computer", "Cancel", "Open", "Desktop", "Downloads"} {
		if strings.Contains(texts, english) {
			t.Errorf("the dialog says %q: %s", english, texts)
		}
	}
	if d.ok.Disabled() == false {
		t.Error("« Ouvrir » enabled with nothing selected")
	}
}

// The list sorts by name, size or date, folders always first; a second
// tap reverses.
func TestSort(t *testing.T) {
	f := newFixture(t)
	write(t, filepath.Join(f.docs, "recent.pdf"), "xxxxx")
	d := Open(f.win, f.tr, f.opts("x", ".pdf", ".png"), func(string) {})
	tests := []struct {
		header column
		want   []string
	}{
		{bySize, []string{"Archives/", "scans/", "recent.pdf", "recu.pdf", "zz.png"}},
		{bySize, []string{"scans/", "Archives/", "zz.png", "recu.pdf", "recent.pdf"}},
		{byDate, []string{"Archives/", "scans/", "recu.pdf", "zz.png", "recent.pdf"}},
		{byName, []string{"Archives/", "scans/", "recent.pdf", "recu.pdf", "zz.png"}},
	}
	for i, tc := range tests {
		test.Tap(d.headers[tc.header])
		if got := names(d); !slices.Equal(got, tc.want) {
			t.Errorf("tap %d on column %d: %q, want %q", i, tc.header, got, tc.want)
		}
	}
}

// Double click opens a folder, the parent button and the places go
// elsewhere, a typed path goes there; a double click on a file chooses
// it, and so does Enter; the next dialog for the same purpose opens in
// that folder, another purpose does not (issue #20: a repeated attach is
// two clicks).
func TestOpenNavigatesAndRemembers(t *testing.T) {
	f := newFixture(t)
	var got []string
	d := Open(f.win, f.tr, f.opts("receipt", ".pdf"), func(p string) { got = append(got, p) })
	test.DoubleTap(f.row("scans"))
	if d.Dir() != filepath.Join(f.docs, "scans") {
		t.Fatalf("double click on scans: in %s", d.Dir())
	}
	test.Tap(d.up)
	if d.Dir() != f.docs {
		t.Fatalf("parent: in %s", d.Dir())
	}
	f.tapButton("Téléchargements")
	if d.Dir() != filepath.Join(f.home, "Téléchargements") {
		t.Fatalf("place: in %s", d.Dir())
	}
	d.pathEntry.SetText(filepath.Join(f.docs, "scans"))
	d.pathEntry.OnSubmitted(d.pathEntry.Text)
	if d.Dir() != filepath.Join(f.docs, "scans") {
		t.Fatalf("typed path: in %s", d.Dir())
	}
	test.DoubleTap(f.row("recu-signe.pdf"))
	want := filepath.Join(f.docs, "scans", "recu-signe.pdf")
	if !slices.Equal(got, []string{want}) || f.win.Canvas().Overlays().Top() != nil {
		t.Fatalf("double click on the scan: chose %q, dialog still shown: %v", got, f.win.Canvas().Overlays().Top() != nil)
	}

	d = Open(f.win, f.tr, f.opts("receipt", ".pdf"), func(p string) { got = append(got, p) })
	if d.Dir() != filepath.Join(f.docs, "scans") {
		t.Fatalf("second attach opened in %s, want the last folder", d.Dir())
	}
	test.Tap(f.row("recu-signe.pdf"))
	if d.ok.Disabled() {
		t.Error("« Ouvrir » disabled with a file selected")
	}
	d.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(got) != 2 || got[1] != want {
		t.Fatalf("Enter on the scan: chose %q", got)
	}

	d = Open(f.win, f.tr, f.opts("other", ".pdf"), func(string) {})
	if d.Dir() != f.docs {
		t.Errorf("another purpose opened in %s, want Documents", d.Dir())
	}
	d.Hide()
}

// An unreadable or missing folder is said in the dialog, in French, and
// the dialog stays where it was.
func TestUnreadableFolder(t *testing.T) {
	f := newFixture(t)
	d := Open(f.win, f.tr, f.opts("x"), func(string) { t.Error("a file was chosen") })
	missing := filepath.Join(f.home, "parti")
	d.pathEntry.OnSubmitted(missing)
	if d.Dir() != f.docs || !d.message.Visible() || d.message.Text != f.tr.T("files.error.missing", "Path", missing) {
		t.Errorf("missing folder: in %s, message %q", d.Dir(), d.message.Text)
	}
	notDir := filepath.Join(f.docs, "notes.txt")
	if d.navigate(notDir) || d.message.Text != f.tr.T("files.error.read", "Path", notDir) {
		t.Errorf("a file as folder: message %q", d.message.Text)
	}
	if os.Geteuid() != 0 {
		locked := filepath.Join(f.home, "verrou")
		mkdirs(t, f.home, "verrou")
		if err := os.Chmod(locked, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(locked, 0o755) })
		if d.navigate(locked) || d.message.Text != f.tr.T("files.error.denied", "Path", locked) {
			t.Errorf("a locked folder: message %q", d.message.Text)
		}
	}
	test.Tap(d.up)
	if d.Dir() != f.home || d.message.Visible() {
		t.Errorf("after a good folder: in %s, message %q", d.Dir(), d.message.Text)
	}
}

// Save proposes the name, adds the extension and asks before replacing a
// file; the folder is kept for the next save.
func TestSave(t *testing.T) {
	f := newFixture(t)
	var got []string
	opts := f.opts("register-export", ".pdf")
	opts.FileName = "registre-20261207.pdf"
	d := Save(f.win, f.tr, opts, func(p string) { got = append(got, p) })
	if d.nameEntry.Text != "registre-20261207.pdf" || !strings.Contains(strings.Join(f.texts(), "|"), "Enregistrer sous") {
		t.Fatalf("name %q, texts %q", d.nameEntry.Text, f.texts())
	}
	d.nameEntry.SetText("registre")
	test.Tap(d.ok)
	if want := filepath.Join(f.docs, "registre.pdf"); !slices.Equal(got, []string{want}) {
		t.Fatalf("saved as %q, want %q", got, want)
	}

	// An existing file: asked first; « Annuler » keeps the dialog.
	d = Save(f.win, f.tr, opts, func(p string) { got = append(got, p) })
	d.nameEntry.SetText("recu")
	d.nameEntry.OnSubmitted(d.nameEntry.Text)
	if d.confirm == nil || len(got) != 1 {
		t.Fatalf("no question before replacing recu.pdf (saved %q)", got)
	}
	if texts := strings.Join(f.texts(), "|"); !strings.Contains(texts, "« recu.pdf » existe déjà") || !strings.Contains(texts, "Remplacer") {
		t.Errorf("the question says %s", texts)
	}
	f.tapButton("Annuler")
	if len(got) != 1 || d.confirm != nil {
		t.Fatalf("cancelled replace saved %q", got)
	}
	// Choosing the file from the list, then agreeing.
	test.Tap(f.row("recu.pdf"))
	if d.nameEntry.Text != "recu.pdf" {
		t.Errorf("selecting a file gives the name %q", d.nameEntry.Text)
	}
	test.Tap(d.ok)
	f.tapButton("Remplacer")
	if want := filepath.Join(f.docs, "recu.pdf"); len(got) != 2 || got[1] != want {
		t.Fatalf("replace saved %q", got)
	}

	// A name with a slash or no name is refused, in French.
	d = Save(f.win, f.tr, opts, func(p string) { got = append(got, p) })
	for _, tc := range []struct{ name, key string }{{"a/b", "files.error.bad_name"}, {"  ", "files.error.no_name"}} {
		d.nameEntry.SetText(tc.name)
		d.save()
		if d.message.Text != f.tr.T(tc.key) || len(got) != 2 {
			t.Errorf("name %q: message %q, saved %q", tc.name, d.message.Text, got)
		}
	}
	// A folder's name goes into it.
	d.nameEntry.SetText("scans")
	d.save()
	if d.Dir() != filepath.Join(f.docs, "scans") {
		t.Errorf("typing a folder's name: in %s", d.Dir())
	}
	d.Hide()
}

// Folder lists folders only and chooses the selected folder, else the
// one shown; the next folder dialog of the purpose opens there.
func TestFolder(t *testing.T) {
	f := newFixture(t)
	var got []string
	d := Folder(f.win, nil, Options{Purpose: "witness", Env: &f.env, Dir: f.docs}, func(p string) { got = append(got, p) })
	if got := names(d); !slices.Equal(got, []string{"Archives/", "scans/"}) {
		t.Errorf("folder list %q", got)
	}
	if texts := strings.Join(f.texts(), "|"); !strings.Contains(texts, "Choisir un dossier") || !strings.Contains(texts, "Dossier choisi : "+f.docs) {
		t.Errorf("texts %s", texts)
	}
	test.Tap(f.row("scans"))
	test.Tap(d.ok)
	if want := filepath.Join(f.docs, "scans"); !slices.Equal(got, []string{want}) {
		t.Fatalf("chose %q, want %q", got, want)
	}
	d = Folder(f.win, nil, Options{Purpose: "witness", Env: &f.env}, func(p string) { got = append(got, p) })
	if d.Dir() != filepath.Join(f.docs, "scans") {
		t.Errorf("second folder dialog in %s", d.Dir())
	}
	test.Tap(d.ok)
	if len(got) != 2 || got[1] != d.Dir() {
		t.Errorf("chose %q", got)
	}
}

// The dialog takes 80 % of the window and never more than the window.
func TestSize(t *testing.T) {
	tests := []struct{ w, h, wantW, wantH float32 }{
		{1280, 800, 1024, 640},
		{1920, 1080, 1536, 864},
		{600, 400, 600, 400},
	}
	for _, tc := range tests {
		f := newFixture(t)
		f.win.Resize(fyne.NewSize(tc.w, tc.h))
		if got := Size(f.win); got != fyne.NewSize(tc.wantW, tc.wantH) {
			t.Errorf("%v×%v: %v", tc.w, tc.h, got)
		}
	}
}
