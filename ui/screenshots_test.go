package ui

import (
	"image/png"

	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"

	"fyne.io/fyne/v2/test"

	"mileo.tech/extract/procedure"
	"mileo.tech/extract/ui/browser"
	"mileo.tech/extract/ui/casework"
)

// TestScreenshots renders the main screens with the test driver into
// $MILEO_SCREENSHOTS (scripts/screenshots.sh sets it to docs/screenshots).
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("MILEO_SCREENSHOTS")
	if dir == "" {
		t.Skip("MILEO_SCREENSHOTS not set (scripts/screenshots.sh)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	shot := func(f *fixture, name string) {
		t.Helper()
		f.u.Wait()
		relayout(f.win.Canvas().Content())
		for _, o := range f.win.Canvas().Overlays().List() {
			relayout(o)
		}
		img := f.win.Canvas().Capture()
		out, err := os.Create(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer out.Close()
		if err := png.Encode(out, img); err != nil {
			t.Fatal(err)
		}
	}

	first := newEmptyFixture(t)
	first.start()
	fr := screenAs[*loginScreen](t, first.u)
	test.Type(fr.site, "Entrepôt Sud — Créteil")
	shot(first, "00-first-run")

	f := newFixture(t)
	u := f.u
	shot(f, "01-login")
	f.login("o.martin")
	// A few cases in different states.
	done := f.fileRequest(procedure.ReasonIncident, "entree", "caisses")
	f.confirmCase()
	waiting := f.fileRequest(procedure.ReasonInsurance, "caisses")
	f.confirmCase()
	access := f.fileRequest(procedure.ReasonAccess, "caisses")
	f.confirmCase()
	f.fileRequest(procedure.ReasonJudicial, "entree")
	f.authorizeAs(done)
	f.authorizeAs(access)
	f.login("rs.bernard")
	u.showDashboard()
	shot(f, "02-dashboard-security-manager")
	u.showAuthorize(waiting)
	shot(f, "05-authorize")

	f.login("o.martin")
	u.showDashboard()
	shot(f, "02-dashboard")
	w := u.showWizard(nil)
	u.Wait()
	w.SetReason(procedure.ReasonIncident)
	test.Tap(w.Next)
	test.Type(w.ReqName, "Claire Moreau")
	test.Type(w.ReqContact, "01 23 45 67 89")
	test.Type(w.Recipient, "Commissariat de Créteil")
	test.Tap(w.Next)
	test.Type(w.From, testFrom.In(u.loc).Format(u.timeLayout()))
	test.Type(w.To, testTo.In(u.loc).Format(u.timeLayout()))
	w.SelectCameras("entree", "caisses")
	shot(f, "03-wizard")

	u.showCase(done)
	shot(f, "04-case")

	b := u.showBrowser(&browser.Pick{Cameras: []string{"entree", "caisses"}, Range: rangeOf(testFrom, testTo)})
	u.Wait()
	b.ViewReason.SetSelected(u.t("title.view.incident_check"))
	waitFor(t, "a frame", func() bool { return !b.Player.Current().IsZero() })
	shot(f, "06-browser")

	rv := u.showReview(access)
	u.Wait()
	test.Tap(rv.Detect)
	u.Wait()
	if rv.Plan != nil && len(rv.Plan.Tracks) > 0 {
		test.Tap(rv.Cards[rv.Plan.Tracks[0].ID].Keep)
		rv.Player.SeekTo(rv.TimeOf(rv.Plan.Tracks[0].First + 5))
	}
	waitFor(t, "a frame", func() bool { return !rv.Player.Current().IsZero() })
	shot(f, "07-review")

	cs := u.showCase(done)
	u.Wait()
	test.Tap(cs.Actions[actExport])
	es := screenAs[*casework.ExportScreen](t, u)
	test.Tap(es.Start)
	u.Wait()
	es.PwChannel.SetSelected(u.t("channel.phone"))
	shot(f, "08-export")
	test.Tap(es.ToDelivery)
	ds := screenAs[*casework.DeliveryScreen](t, u)
	test.Type(ds.Ident, "matricule 123456")
	shot(f, "09-delivery")

	f.login("dpo.leroy")
	u.showRegister()
	shot(f, "10-register")
	u.showSettings()
	shot(f, "11-settings")
	accountScreenshots(t, shot)
}

// relayout lays the whole tree out again, top down. The desktop driver does
// it at every frame when a minimum size changes; the test canvas does not.
func relayout(o fyne.CanvasObject) {
	switch x := o.(type) {
	case *fyne.Container:
		if x.Layout != nil {
			x.Layout.Layout(x.Objects, x.Size())
		}
		for _, c := range x.Objects {
			relayout(c)
		}
	case fyne.Widget:
		r := test.WidgetRenderer(x)
		r.Layout(x.Size())
		for _, c := range r.Objects() {
			relayout(c)
		}
	}
}
