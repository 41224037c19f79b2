package ui

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/register"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/papers"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/ui/browser"
	"mileo.tech/extract/ui/casework"
)

// The video browser lists the cameras with their status and recorded
// spans (the gap of camera "caisses" shows), and a range marked with in
// and out on the timeline opens a request with it.
func TestBrowserSelectionStartsRequest(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("o.martin")
	test.Tap(u.nav.item("videos"))
	b := screenAs[*browser.Screen](t, u)
	if len(b.Rows) != 3 {
		t.Fatalf("%d cameras", len(b.Rows))
	}
	b.ViewReason.SetSelected(u.t("title.view.request_search"))
	if n := len(b.Row("caisses").Spans); n != 2 {
		t.Fatalf("camera caisses has %d spans, want 2 around its gap", n)
	}
	if n := len(b.Row("entree").Spans); n != 1 {
		t.Fatalf("camera entree has %d spans", n)
	}
	waitFor(t, "the first frame", func() bool { return !b.Player.Current().IsZero() })
	seekAt := func(at time.Time) {
		line := b.Row(b.Selected).Line
		test.TapAt(line, fyne.NewPos(line.XOf(at), 5))
		waitFor(t, "the seek to "+at.String(), func() bool {
			c := b.Player.Current()
			return c.After(at.Add(-time.Second)) && c.Before(at.Add(time.Second))
		})
	}
	// The arrow keys step one frame.
	c0 := b.Player.Current()
	f.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyRight})
	waitFor(t, "a frame forward with the arrow key", func() bool { return b.Player.Current().After(c0) })
	in := time.Date(2026, 11, 23, 8, 0, 20, 0, time.UTC)
	out := in.Add(20 * time.Second)
	seekAt(in)
	test.Tap(b.MarkIn)
	seekAt(out)
	test.Tap(b.MarkOut)
	if !b.Row(b.Selected).Check.Checked {
		t.Fatal("the camera shown is not in the selection")
	}
	other := "entree"
	if b.Selected == other {
		other = "caisses"
	}
	test.Tap(b.Row(other).Check)
	if b.Use.Disabled() {
		t.Fatalf("selection not usable: %q", b.Selection.Text)
	}
	test.Tap(b.Use)
	w := screenAs[*casework.WizardScreen](t, u)
	got := w.SelectedCameras()
	if len(got) != 2 || !strings.Contains(strings.Join(got, ","), other) {
		t.Fatalf("cameras %v", got)
	}
	r, err := w.RangeValue()
	if err != nil {
		t.Fatal(err)
	}
	if r.Start.Sub(in).Abs() > time.Second || r.End.Sub(out).Abs() > 2*time.Second {
		t.Fatalf("range %s, want %s → %s", r, in, out)
	}
}

// A requested case can have its range corrected in the browser before the
// confirmation (R-REQ-2).
func TestBrowserCorrectsRangeBeforeConfirmation(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("o.martin")
	number := f.fileRequest(procedure.ReasonIncident, "entree")
	cs := screenAs[*casework.CaseScreen](t, u)
	test.Tap(cs.Actions[actPreview])
	b := screenAs[*browser.Screen](t, u)
	if b.Use.Text != u.t("browser.use_for_confirm", "Number", number) || b.Use.Disabled() {
		t.Fatalf("use button %q (disabled %v)", b.Use.Text, b.Use.Disabled())
	}
	b.SetIn(testFrom.Add(5 * time.Second))
	test.Tap(b.Use)
	screenAs[*casework.CaseScreen](t, u)
	es := f.dialogEntries()
	test.Type(es[0], "courriel")
	f.tapButton(u.t("action.confirm"))
	c := f.caseOf(number)
	if c.State != procedure.StateConfirmed || !c.Confirmation.Range.Start.Equal(testFrom.Add(5*time.Second)) {
		t.Fatalf("confirmation %+v", c.Confirmation)
	}
}

// Settings: the administrator's sources are checked before they are
// saved and the site settings are recorded in the register (R-REG-1);
// other roles choose among the sources and see the model status and the
// media inventory.
func TestSettings(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("admin")
	s := u.showSettings()
	u.Wait()
	test.Type(s.NewFolder, "/nonexistent/recordings")
	test.Tap(s.AddSource)
	u.Wait()
	if len(u.set.Sources()) != 0 || s.SourcesMsg.Text == "" || s.SourcesMsg.Importance != widget.DangerImportance {
		t.Fatalf("a broken source was saved: %v", u.set.Sources())
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(f.demo)); err != nil {
		t.Fatal(err)
	}
	s.NewFolder.SetText(dir)
	s.NewSourceName.SetText("Enregistreur du hall")
	test.Tap(s.AddSource)
	u.Wait()
	if got := u.set.Sources(); len(got) != 1 || got[0] != "folder:"+dir {
		t.Fatalf("sources %v: %s", got, s.SourcesMsg.Text)
	}
	// Sources by their display names (issue #20): the settings and the
	// browser show the name, never the address alone.
	if got := u.sourceLabel("folder:" + dir); got != "Enregistreur du hall" {
		t.Fatalf("source label %q", got)
	}
	f.mustSee("settings", "Enregistreur du hall  ("+u.t("settings.sources.current")+")", dir)
	u.showBrowser(nil)
	f.mustSee("browser", "Enregistreur du hall")
	f.mustNotSee("browser", "folder:"+dir)
	s = u.showSettings()
	u.Wait()
	if u.currentSourceAddr() != "folder:"+dir || u.site["vms.address"] != "folder:"+dir {
		t.Fatalf("the new source is not in use nor the site's default: %s %v", u.currentSourceAddr(), u.site)
	}
	// The name given at first run is there (issue #20).
	if s.SiteName.Text != "Entrepôt Sud — Créteil" {
		t.Fatalf("site name not prefilled: %q", s.SiteName.Text)
	}
	s.PrintLang.SetSelected("English")
	s.SiteName.SetText("Entrepôt Sud")
	test.Tap(s.SaveSite)
	u.Wait()
	if u.site["print.language"] != "en" || u.site["site.display_name"] != "Entrepôt Sud" || u.printLang() != "en" {
		t.Fatalf("site settings %v", u.site)
	}
	// A success says so in green (issue #20).
	if s.SiteMsg.Importance != widget.SuccessImportance || s.SiteMsg.Text == "" {
		t.Fatalf("site saved: %q (%v)", s.SiteMsg.Text, s.SiteMsg.Importance)
	}

	f.login("o.martin")
	s = u.showSettings()
	u.Wait()
	if s.ModelInfo.Text == "" {
		t.Fatal("no detection model status")
	}
	if s.AddSource.Visible() && s.NewFolder.Visible() {
		for _, o := range f.objects() {
			if o == s.AddSource {
				t.Fatal("an operator may add sources")
			}
		}
	}
	if s.Media == nil || len(s.Media.Objects) != 1 {
		t.Fatal("no media inventory")
	}
	if s.SaveSite != nil {
		t.Fatal("an operator may change the site settings")
	}
	// Nor the data folder, nor the witness folder (issue #20).
	f.login("dpo.leroy")
	s = u.showSettings()
	u.Wait()
	if s.ChangeData != nil || s.SaveWitness != nil {
		t.Fatal("the DPO may change the data or witness folder")
	}
	st, err := f.store.Settings.All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st["vms.address"] != "folder:"+dir || st["print.language"] != "en" {
		t.Fatalf("register settings %v", st)
	}
}

// Every viewing is recorded: outside a case only with a reason from the
// closed list, one entry per camera shown, and within a case for it
// (R-ACC-1; issue 15).
func TestViewingRecorded(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("o.martin")
	views := func() []*register.Entry {
		t.Helper()
		s, err := f.store.Login(context.Background(), "dpo.leroy", dpoPW)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		es, err := papers.New(f.store).Entries(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		var out []*register.Entry
		for _, e := range es {
			if e.Action == "footage.view" {
				out = append(out, e)
			}
		}
		return out
	}
	test.Tap(u.nav.item("videos"))
	b := screenAs[*browser.Screen](t, u)
	u.Wait()
	if !b.Player.Current().IsZero() || b.Message.Text != u.t("browser.view_reason.need") {
		t.Fatalf("footage shown without a reason: %q", b.Message.Text)
	}
	if n := len(views()); n != 0 {
		t.Fatalf("%d viewings recorded before any was allowed", n)
	}
	b.ViewReason.SetSelected(u.t("title.view.incident_check"))
	waitFor(t, "the first frame", func() bool { return !b.Player.Current().IsZero() })
	first := b.Selected
	second := "entree"
	if first == second {
		second = "caisses"
	}
	b.SelectCamera(second)
	waitFor(t, "the second camera", func() bool { return b.Selected == second && !b.Player.Current().IsZero() })
	b.SelectCamera(first) // seen already on this screen: not recorded again
	vs := views()
	if len(vs) != 2 {
		t.Fatalf("%d viewings recorded after playing two cameras, want 2", len(vs))
	}
	for _, e := range vs {
		var d struct{ Camera, Reason string }
		if err := e.Decode(&d); err != nil || d.Reason != "incident_check" || e.Actor != "o.martin" {
			t.Fatalf("viewing %+v by %s: %v", d, e.Actor, err)
		}
	}
}
