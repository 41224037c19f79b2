package files

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/internal/i18n"
)

// Translator gives the text of a catalogue key with its template data as
// key, value pairs; the application's catalogue is one.
type Translator interface {
	T(key string, args ...any) string
}

// Options say what a dialog is for.
type Options struct {
	// Purpose names what the file is for ("receipt", "register-export"):
	// the dialog opens in the folder last used for it.
	Purpose string
	// Title replaces the dialog's usual title (already translated).
	Title string
	// Extensions are the accepted extensions with their dot (".pdf");
	// Open shows only those files, Save adds the first one to a name
	// without any of them. Empty accepts every file.
	Extensions []string
	// FileName is the name Save proposes.
	FileName string
	// Dir is where the dialog opens when no folder was used for the
	// purpose yet; empty is Documents, else the home folder.
	Dir string
	// Env is where the places are; nil is the running system's.
	Env *Env
	// Prefs keep the last folder of each purpose; nil is the running
	// application's.
	Prefs fyne.Preferences
}

type mode int

const (
	modeOpen mode = iota
	modeSave
	modeFolder
)

// prefPrefix prefixes the preference that keeps the last folder of a
// purpose.
const prefPrefix = "files.last."

// Dialog is a file chooser being shown.
type Dialog struct {
	win  fyne.Window
	t    Translator
	opts Options
	mode mode
	then func(path string)

	dlg     *dialog.CustomDialog
	confirm dialog.Dialog // the question before replacing a file

	dir        string
	entries    []entry
	selected   int
	sortBy     column
	desc       bool
	showHidden bool

	places    []Place
	placeBtns []*widget.Button
	pathEntry *widget.Entry
	up        *widget.Button
	headers   [3]*widget.Button
	list      *fileList
	nameEntry *widget.Entry
	hidden    *widget.Check
	message   *widget.Label
	chosen    *widget.Label
	ok        *widget.Button
	cancel    *widget.Button
}

// Open asks for an existing file and calls then with its path; nothing
// is called when the person cancels.
func Open(win fyne.Window, t Translator, opts Options, then func(path string)) *Dialog {
	return show(win, t, opts, modeOpen, then)
}

// Save asks where to save a file and calls then with its path, after the
// person agreed to replace an existing file.
func Save(win fyne.Window, t Translator, opts Options, then func(path string)) *Dialog {
	return show(win, t, opts, modeSave, then)
}

// Folder asks for a folder and calls then with its path.
func Folder(win fyne.Window, t Translator, opts Options, then func(path string)) *Dialog {
	return show(win, t, opts, modeFolder, then)
}

func show(win fyne.Window, t Translator, opts Options, m mode, then func(string)) *Dialog {
	if t == nil {
		t = i18n.New("fr")
	}
	if opts.Prefs == nil {
		if a := fyne.CurrentApp(); a != nil {
			opts.Prefs = a.Preferences()
		}
	}
	env := SystemEnv()
	if opts.Env != nil {
		env = *opts.Env
	}
	opts.Extensions = slices.Clone(opts.Extensions) // normalized below, the caller's kept
	for i, e := range opts.Extensions {
		e = strings.ToLower(e)
		if e != "" && e[0] != '.' {
			e = "." + e
		}
		opts.Extensions[i] = e
	}
	d := &Dialog{win: win, t: t, opts: opts, mode: m, then: then, selected: -1, places: Places(env)}
	d.build()
	d.start(env)
	d.dlg.Resize(Size(win))
	d.dlg.Show()
	if m == modeSave {
		win.Canvas().Focus(d.nameEntry)
		d.nameEntry.TypedShortcut(&fyne.ShortcutSelectAll{}) // typing replaces the proposed name
	} else {
		win.Canvas().Focus(d.list)
	}
	return d
}

// Size is the size of a file dialog in win: 80 % of the window, never
// larger than the window (1024×640 in a 1280×800 window).
func Size(win fyne.Window) fyne.Size {
	sz := win.Canvas().Size()
	return fyne.NewSize(min(sz.Width, max(640, sz.Width*0.8)), min(sz.Height, max(420, sz.Height*0.8)))
}

// Dir is the folder shown.
func (d *Dialog) Dir() string { return d.dir }

// Hide closes the dialog without choosing.
func (d *Dialog) Hide() {
	if d.confirm != nil {
		d.confirm.Hide()
	}
	d.dlg.Hide()
}

func (d *Dialog) title() string {
	if d.opts.Title != "" {
		return d.opts.Title
	}
	return d.t.T([]string{"files.title.open", "files.title.save", "files.title.folder"}[d.mode])
}

func (d *Dialog) build() {
	t := d.t.T
	d.pathEntry = widget.NewEntry()
	d.pathEntry.OnSubmitted = d.typedPath
	d.up = widget.NewButtonWithIcon(t("files.parent"), theme.MoveUpIcon(), d.parent)
	top := container.NewBorder(nil, nil, d.up, nil, d.pathEntry)

	left := container.NewVBox()
	media := false
	for _, p := range d.places {
		if p.Key == "files.place.media" && !media {
			media = true
			left.Add(widget.NewLabelWithStyle(t("files.place.media_heading"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		}
		b := widget.NewButtonWithIcon(t(p.Key, "Name", p.Name), placeIcon(p.Key), func() { d.navigate(p.Path) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		d.placeBtns = append(d.placeBtns, b)
		left.Add(b)
	}

	for i, key := range []string{"files.col.name", "files.col.size", "files.col.modified"} {
		c := column(i)
		b := widget.NewButton(t(key), func() { d.sortOn(c) })
		b.Alignment = widget.ButtonAlignLeading
		if c == bySize {
			b.Alignment = widget.ButtonAlignTrailing
		}
		b.Importance = widget.LowImportance
		d.headers[i] = b
	}
	head := container.New(columns{}, d.headers[0], d.headers[1], d.headers[2])
	d.list = newFileList(d)

	d.message = widget.NewLabel("")
	d.message.Importance = widget.DangerImportance
	d.message.Wrapping = fyne.TextWrapWord
	d.message.Hide()
	d.hidden = widget.NewCheck(t("files.hidden"), func(on bool) {
		d.showHidden = on
		d.reload()
	})
	bar := container.NewHBox(d.hidden)
	if len(d.opts.Extensions) > 0 && d.mode != modeFolder {
		bar.Add(widget.NewLabel(t("files.filter", "List", d.extList())))
	}
	bottom := container.NewVBox(d.message, bar)
	switch d.mode {
	case modeSave:
		d.nameEntry = widget.NewEntry()
		d.nameEntry.SetText(d.opts.FileName)
		d.nameEntry.OnSubmitted = func(string) { d.save() }
		d.nameEntry.OnChanged = func(string) { d.refreshOK() }
		bottom.Add(container.NewBorder(nil, nil, widget.NewLabel(t("files.name")), nil, d.nameEntry))
	case modeFolder:
		d.chosen = widget.NewLabel("")
		d.chosen.Truncation = fyne.TextTruncateEllipsis
		bottom.Add(d.chosen)
	}

	center := container.NewBorder(head, nil, nil, nil, d.list)
	split := container.NewHSplit(container.NewVScroll(left), center)
	split.Offset = 0.22
	content := container.NewBorder(top, bottom, nil, nil, split)

	okKey := []string{"files.open", "files.save", "files.choose"}[d.mode]
	d.ok = widget.NewButtonWithIcon(t(okKey), theme.ConfirmIcon(), d.submit)
	d.ok.Importance = widget.HighImportance
	d.cancel = widget.NewButtonWithIcon(t("files.cancel"), theme.CancelIcon(), d.Hide)
	d.dlg = dialog.NewCustomWithoutButtons(d.title(), content, d.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.cancel, d.ok})
}

func placeIcon(key string) fyne.Resource {
	switch key {
	case "files.place.home":
		return theme.HomeIcon()
	case "files.place.desktop":
		return theme.DesktopIcon()
	case "files.place.documents":
		return theme.DocumentIcon()
	case "files.place.downloads":
		return theme.DownloadIcon()
	case "files.place.media":
		return theme.StorageIcon()
	}
	return theme.ComputerIcon()
}

func (d *Dialog) extList() string {
	names := make([]string, 0, len(d.opts.Extensions))
	for _, e := range d.opts.Extensions {
		names = append(names, strings.ToUpper(strings.TrimPrefix(e, ".")))
	}
	return strings.Join(names, ", ")
}

// start shows the folder last used for the purpose, else Options.Dir,
// Documents, the home folder, the root: the first that can be read.
func (d *Dialog) start(env Env) {
	var tries []string
	if d.opts.Prefs != nil {
		tries = append(tries, d.opts.Prefs.String(d.prefKey()))
	}
	tries = append(tries, d.opts.Dir)
	for _, p := range d.places {
		if p.Key == "files.place.documents" {
			tries = append(tries, p.Path)
		}
	}
	tries = append(tries, env.Home, string(filepath.Separator))
	for _, p := range tries {
		if p != "" && isDir(p) && d.navigate(p) {
			return
		}
	}
}

func (d *Dialog) prefKey() string {
	p := d.opts.Purpose
	if p == "" {
		p = "default"
	}
	return prefPrefix + p
}

// navigate shows dir; when it cannot be read the dialog says so and
// stays where it was.
func (d *Dialog) navigate(dir string) bool {
	dir = filepath.Clean(dir)
	ents, err := d.read(dir)
	if err != nil {
		d.say(d.readErr(dir, err))
		return false
	}
	d.say("")
	d.dir = dir
	d.entries = ents
	d.sortEntries()
	d.selected = -1
	d.list.UnselectAll()
	d.list.Refresh()
	d.list.ScrollToTop()
	d.pathEntry.SetText(dir)
	if filepath.Dir(dir) == dir {
		d.up.Disable()
	} else {
		d.up.Enable()
	}
	for i, p := range d.places {
		imp := widget.LowImportance
		if filepath.Clean(p.Path) == dir {
			imp = widget.MediumImportance
		}
		if d.placeBtns[i].Importance != imp {
			d.placeBtns[i].Importance = imp
			d.placeBtns[i].Refresh()
		}
	}
	d.refreshOK()
	return true
}

func (d *Dialog) reload() {
	if d.dir != "" {
		d.navigate(d.dir)
	}
}

func (d *Dialog) read(dir string) ([]entry, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := make([]entry, 0, len(des))
	for _, de := range des {
		name := de.Name()
		if !d.showHidden && strings.HasPrefix(name, ".") {
			continue
		}
		e := entry{name: name}
		info, err := os.Stat(filepath.Join(dir, name)) // follows links
		if err != nil {
			continue // a broken link: nothing to open
		}
		e.dir, e.size, e.mod = info.IsDir(), info.Size(), info.ModTime()
		switch {
		case e.dir:
		case d.mode == modeFolder:
			continue
		case !d.accepts(name):
			continue
		}
		out = append(out, e)
	}
	return out, nil
}

func (d *Dialog) accepts(name string) bool {
	return len(d.opts.Extensions) == 0 || slices.Contains(d.opts.Extensions, strings.ToLower(filepath.Ext(name)))
}

func (d *Dialog) readErr(dir string, err error) string {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return d.t.T("files.error.denied", "Path", dir)
	case errors.Is(err, fs.ErrNotExist):
		return d.t.T("files.error.missing", "Path", dir)
	}
	return d.t.T("files.error.read", "Path", dir)
}

// say shows an error in the dialog; an empty text hides it.
func (d *Dialog) say(text string) {
	d.message.SetText(text)
	if text == "" {
		d.message.Hide()
	} else {
		d.message.Show()
	}
}

func (d *Dialog) parent() { d.navigate(filepath.Dir(d.dir)) }

// typedPath goes to a typed folder, or takes a typed file.
func (d *Dialog) typedPath(text string) {
	p := strings.TrimSpace(text)
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			p = filepath.Join(home, p[1:])
		}
	}
	if p == "" {
		return
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(d.dir, p)
	}
	p = filepath.Clean(p)
	fi, err := os.Stat(p)
	switch {
	case err == nil && fi.IsDir():
		d.navigate(p)
	case err == nil && d.mode == modeOpen:
		if !d.accepts(p) {
			d.say(d.t.T("files.error.not_allowed", "List", d.extList()))
			return
		}
		d.finish(p)
	case d.mode == modeSave && isDir(filepath.Dir(p)):
		if d.navigate(filepath.Dir(p)) {
			d.nameEntry.SetText(filepath.Base(p))
			d.save()
		}
	default:
		d.say(d.t.T("files.error.missing", "Path", p))
	}
}

func (d *Dialog) selectEntry(i int) {
	if i < 0 || i >= len(d.entries) {
		d.selected = -1
		d.refreshOK()
		return
	}
	d.selected = i
	e := d.entries[i]
	if d.mode == modeSave && !e.dir {
		d.nameEntry.SetText(e.name)
	}
	d.refreshOK()
}

// activate opens a folder of the list or chooses a file (double click,
// Enter).
func (d *Dialog) activate(i int) {
	if i < 0 || i >= len(d.entries) {
		return
	}
	e := d.entries[i]
	p := filepath.Join(d.dir, e.name)
	switch {
	case e.dir:
		d.navigate(p)
	case d.mode == modeOpen:
		d.finish(p)
	case d.mode == modeSave:
		d.nameEntry.SetText(e.name)
		d.save()
	}
}

func (d *Dialog) refreshOK() {
	switch d.mode {
	case modeOpen:
		if d.selected >= 0 && d.selected < len(d.entries) {
			d.ok.Enable()
		} else {
			d.ok.Disable()
		}
	case modeSave:
		if strings.TrimSpace(d.nameEntry.Text) != "" && d.dir != "" {
			d.ok.Enable()
		} else {
			d.ok.Disable()
		}
	case modeFolder:
		if p := d.folderChoice(); p != "" {
			d.chosen.SetText(d.t.T("files.chosen", "Path", p))
			d.ok.Enable()
		} else {
			d.ok.Disable()
		}
	}
}

// folderChoice is the folder Choose takes: the selected one, else the
// folder shown.
func (d *Dialog) folderChoice() string {
	if d.dir == "" {
		return ""
	}
	if d.selected >= 0 && d.selected < len(d.entries) && d.entries[d.selected].dir {
		return filepath.Join(d.dir, d.entries[d.selected].name)
	}
	return d.dir
}

// submit is the dialog's main button.
func (d *Dialog) submit() {
	switch d.mode {
	case modeOpen:
		d.activate(d.selected)
	case modeSave:
		d.save()
	case modeFolder:
		if p := d.folderChoice(); p != "" {
			d.finish(p)
		}
	}
}

// save checks the typed name, adds the extension, asks before replacing
// a file and saves.
func (d *Dialog) save() {
	name := strings.TrimSpace(d.nameEntry.Text)
	switch {
	case name == "":
		d.say(d.t.T("files.error.no_name"))
		return
	case strings.ContainsRune(name, '/') || name == "." || name == "..":
		d.say(d.t.T("files.error.bad_name"))
		return
	}
	if isDir(filepath.Join(d.dir, name)) {
		if d.navigate(filepath.Join(d.dir, name)) {
			d.nameEntry.SetText(d.opts.FileName)
		}
		return
	}
	if len(d.opts.Extensions) > 0 && !d.accepts(name) {
		name += d.opts.Extensions[0]
	}
	if name != d.nameEntry.Text {
		d.nameEntry.SetText(name)
	}
	p := filepath.Join(d.dir, name)
	fi, err := os.Stat(p)
	switch {
	case err == nil && fi.IsDir():
		d.navigate(p) // "scans" + ".pdf" is a folder
		return
	case err == nil:
		d.confirm = dialog.NewCustomConfirm(d.t.T("files.overwrite.title"), d.t.T("files.overwrite.replace"), d.t.T("files.cancel"),
			widget.NewLabel(d.t.T("files.overwrite", "Name", name)), func(ok bool) {
				d.confirm = nil
				if ok {
					d.finish(p)
				}
			}, d.win)
		d.confirm.Show()
		return
	}
	d.say("")
	d.finish(p)
}

// finish keeps the folder for the purpose, closes and calls back.
func (d *Dialog) finish(p string) {
	dir := filepath.Dir(p)
	if d.mode == modeFolder {
		dir = p
	}
	if d.opts.Prefs != nil {
		d.opts.Prefs.SetString(d.prefKey(), dir)
	}
	d.dlg.Hide()
	if d.then != nil {
		d.then(p)
	}
}
