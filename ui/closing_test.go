package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/export"
	"mileo.tech/extract/ui/casework"
)

// Closing the window while an export runs asks first; « Continuer le
// travail » keeps it open, « Fermer quand même » closes it, and the next
// start says what was interrupted (issue #20).
func TestCloseDuringExportAsks(t *testing.T) {
	f := newFixture(t)
	u := f.u
	number := f.authorizedCase()
	es := u.showExport(number, false)
	u.Wait()
	asked, closed, windowClosed := false, false, false
	u.closeWindow = func() { windowClosed = true }
	es.ProgressHook = func(export.Progress) {
		if asked {
			return
		}
		asked = true
		fyne.DoAndWait(func() {
			if es.Busy() == "" {
				t.Error("the export screen says nothing runs")
			}
			u.closeRequested()
			if f.win.Canvas().Overlays().Top() == nil {
				t.Error("closing during an export asks nothing")
				return
			}
			test.Tap(f.button(u.t("close.busy.stay")))
			if windowClosed || f.win.Canvas().Overlays().Top() != nil || f.app.Preferences().String(prefInterrupted) != "" {
				t.Error("« Continuer le travail » did not keep the window as it was")
			}
			u.closeRequested()
			test.Tap(f.button(u.t("close.busy.confirm")))
			closed = windowClosed && f.app.Preferences().String(prefInterrupted) != ""
		})
	}
	test.Tap(es.Start)
	u.Wait()
	if !asked || !closed {
		t.Fatalf("asked %v, interruption kept %v", asked, closed)
	}
	f.restart()
	f.mustSee("next start", u.t("close.interrupted.title"), u.t("busy.export", "Number", number))
	if f.app.Preferences().String(prefInterrupted) != "" {
		t.Fatal("the interruption is said at every start")
	}
}

// Without a printer, a document of a case offers « Enregistrer en PDF »;
// the password sheet is never written to disk: the window says there is
// no printer and the password stays on screen (R-ENC-2; issue #20).
func TestPrintingWithoutPrinter(t *testing.T) {
	f := newFixture(t)
	u := f.u
	number, es := f.exportedCase()
	pw := es.Result.Password
	t.Setenv("PATH", t.TempDir()) // no lp
	f.tapButton(u.t("export.password.print"))
	f.mustSee("password sheet without a printer", u.t("export.password.no_printer"))
	f.tapButton("OK")
	f.mustSee("password still shown", pw)
	assertNotOnDisk(t, f.dir, pw)

	cs := u.showCase(number)
	u.Wait()
	test.Tap(cs.Actions[actSheet])
	u.Wait()
	f.mustSee("register sheet without a printer", u.t("print.no_printer"), u.t("print.save_as"))
	for _, o := range test.LaidOutObjects(f.win.Canvas().Overlays().Top()) {
		if b, ok := o.(*widget.Button); ok && b.Visible() && b.Text == u.t("print.print") {
			t.Fatal("« Imprimer » offered without a printer")
		}
	}
	f.tapButton(u.t("common.close"))
	screenAs[*casework.CaseScreen](t, u)
}
