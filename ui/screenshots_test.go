package ui

import (
	"fmt"
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

// TestScreenshots renders every screen of the tour with the test driver
// into $MILEO_SCREENSHOTS (scripts/screenshots.sh sets it to
// docs/screenshots), at 1280×800 and at 1920×1080; each file is named
// after its screen and the window's size.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("MILEO_SCREENSHOTS")
	if dir == "" {
		t.Skip("MILEO_SCREENSHOTS not set (scripts/screenshots.sh)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, size := range []fyne.Size{sizeSmall, sizeLarge} {
		suffix := fmt.Sprintf("-%.0fx%.0f", size.Width, size.Height)
		screenTour(t, size, func(f *fixture, name string) {
			t.Helper()
			f.u.Wait()
			relayoutAll(f.win.Canvas())
			img := f.win.Canvas().Capture()
			out, err := os.Create(filepath.Join(dir, name+suffix+".png"))
			if err != nil {
				t.Fatal(err)
			}
			defer out.Close()
			if err := png.Encode(out, img); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// screenTour shows every screen of the window, and its main dialogs, in
// a window of that size, and calls visit at each with the screen's name
// (the screenshots' file names). TestScreenshots and TestLayoutFits walk
// it.
func screenTour(t *testing.T, size fyne.Size, visit func(f *fixture, name string)) {
	first := newEmptyFixture(t)
	first.start()
	first.win.Resize(size)
	fr := screenAs[*loginScreen](t, first.u)
	test.Type(fr.site, "Entrepôt Sud — Créteil")
	visit(first, "00-first-run")

	f := newFixture(t)
	f.win.Resize(size)
	u := f.u
	visit(f, "01-login")
	f.login("o.martin")
	// A few cases in different states.
	done := f.fileRequest(procedure.ReasonIncident, "entree", "caisses")
	f.confirmCase()
	waiting := f.fileRequest(procedure.ReasonInsurance, "caisses")
	f.confirmCase()
	access := f.fileRequest(procedure.ReasonAccess, "caisses")
	f.confirmCase()
	requested := f.fileRequest(procedure.ReasonJudicial, "entree")
	cs := screenAs[*casework.CaseScreen](t, u)
	test.Tap(cs.Actions[actConfirm])
	visit(f, "04-confirm-dialog")
	f.tapButton(u.t("common.cancel"))
	f.authorizeAs(done)
	f.authorizeAs(access)
	f.login("rs.bernard")
	u.showDashboard()
	visit(f, "02-dashboard-security-manager")
	as := u.showAuthorize(waiting)
	visit(f, "05-authorize")
	u.Wait()
	test.Type(as.Note, "Autorisé : sinistre déclaré à l'assurance.")
	test.Tap(as.Authorize)
	if u.win.Canvas().Overlays().Top() != nil {
		visit(f, "05-authorize-confirm")
		f.tapButton(u.t("common.cancel"))
	}

	f.login("o.martin")
	u.showDashboard()
	visit(f, "02-dashboard")
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
	visit(f, "03-wizard")

	u.showCase(requested)
	visit(f, "04-case-requested")
	u.showCase(waiting)
	visit(f, "04-case-confirmed")
	u.showCase(done)
	visit(f, "04-case")

	b := u.showBrowser(&browser.Pick{Cameras: []string{"entree", "caisses"}, Range: rangeOf(testFrom, testTo)})
	u.Wait()
	b.ViewReason.SetSelected(u.t("title.view.incident_check"))
	waitFor(t, "a frame", func() bool { return !b.Player.Current().IsZero() })
	visit(f, "06-browser")

	rv := u.showReview(access)
	u.Wait()
	test.Tap(rv.Detect)
	u.Wait()
	if rv.Plan != nil && len(rv.Plan.Tracks) > 0 {
		test.Tap(rv.Cards[rv.Plan.Tracks[0].ID].Keep)
		rv.Player.SeekTo(rv.TimeOf(rv.Plan.Tracks[0].First + 5))
	}
	waitFor(t, "a frame", func() bool { return !rv.Player.Current().IsZero() })
	visit(f, "07-review")

	cs = u.showCase(done)
	u.Wait()
	test.Tap(cs.Actions[actExport])
	es := screenAs[*casework.ExportScreen](t, u)
	visit(f, "08-export-form")
	test.Tap(es.Start)
	u.Wait()
	es.PwChannel.SetSelected(u.t("channel.phone"))
	visit(f, "08-export")
	test.Tap(es.ToDelivery)
	ds := screenAs[*casework.DeliveryScreen](t, u)
	test.Type(ds.Ident, "matricule 123456")
	visit(f, "09-delivery")
	test.Tap(ds.AddMedium)
	visit(f, "09-delivery-new-medium")
	f.tapButton(u.t("common.cancel"))

	f.login("dpo.leroy")
	u.showRegister()
	visit(f, "10-register")
	u.showSettings()
	visit(f, "11-settings")
	u.showIncidents()
	visit(f, "18-incidents")
	accountScreenshots(t, size, visit)
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
