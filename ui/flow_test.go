package ui

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"mileo.tech/extract/papers"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/ui/browser"
	"mileo.tech/extract/ui/casework"
)

// testRange is inside the short demo archive; camera "caisses" has a gap
// from 08:01:15 to 08:01:45.
var (
	testFrom = time.Date(2026, 11, 23, 8, 0, 50, 0, time.UTC)
	testTo   = testFrom.Add(35 * time.Second)
)

// fileRequest fills the new request wizard as the logged-in user and
// returns the case number.
func (f *fixture) fileRequest(reason procedure.Reason, cameras ...string) string {
	t, u := f.t, f.u
	t.Helper()
	test.Tap(u.nav.item("new"))
	w := screenAs[*casework.WizardScreen](t, u)
	test.Tap(w.Next)
	if w.Step != 0 || w.Message.Text == "" {
		t.Fatalf("the wizard went on without a reason (step %d)", w.Step)
	}
	w.SetReason(reason)
	test.Tap(w.Next)
	test.Type(w.ReqName, "Claire Moreau")
	test.Type(w.ReqOrg, "Direction du magasin")
	test.Type(w.ReqContact, "01 23 45 67 89")
	test.Type(w.Recipient, "Commissariat de Créteil")
	test.Tap(w.Next)
	test.Type(w.From, testFrom.In(u.loc).Format(u.timeLayout()))
	test.Type(w.To, testTo.In(u.loc).Format(u.timeLayout()))
	w.SelectCameras(cameras...)
	test.Tap(w.Next)
	test.Type(w.Justification, "Vol à l'étalage signalé par la caisse 3 ; l'enquête demande les images.")
	if reason == procedure.ReasonAccess {
		test.Type(w.IDMethod, "carte d'identité présentée à l'accueil")
		test.Type(w.IDLegit, "présence confirmée par la photo du ticket")
	}
	test.Tap(w.Next)
	if w.Step != 4 {
		t.Fatalf("wizard stuck at step %d: %s", w.Step+1, w.Message.Text)
	}
	test.Tap(w.Submit)
	cs := screenAs[*casework.CaseScreen](t, u)
	u.Wait()
	if cs.Case == nil {
		t.Fatalf("no case shown: %s", w.Message.Text)
	}
	return cs.Case.Number
}

// confirmCase confirms the case shown with the requester through the
// dialog.
func (f *fixture) confirmCase() {
	t, u := f.t, f.u
	t.Helper()
	cs := screenAs[*casework.CaseScreen](t, u)
	if cs.Primary != actConfirm {
		t.Fatalf("primary action %q, want %q", cs.Primary, actConfirm)
	}
	test.Tap(cs.Actions[actConfirm])
	es := f.dialogEntries()
	test.Type(es[0], "téléphone")
	f.tapButton(u.t("action.confirm"))
	cs = screenAs[*casework.CaseScreen](t, u)
	if cs.Case.State != procedure.StateConfirmed && !(cs.Case.State == procedure.StateAuthorized && cs.Case.RequisitionRef != "") {
		t.Fatalf("state %s after confirmation: %s", cs.Case.State, cs.Message.Text)
	}
}

// authorizeAs logs in the security manager and authorizes from the
// dashboard.
func (f *fixture) authorizeAs(number string) {
	t, u := f.t, f.u
	t.Helper()
	f.login("rs.bernard")
	d := screenAs[*dashboardScreen](t, u)
	row := d.row(secAuthorize, number)
	if row == nil {
		t.Fatalf("case %s not in the security manager's tasks", number)
	}
	test.Tap(row)
	as := screenAs[*casework.AuthorizeScreen](t, u)
	test.Type(as.Note, "Autorisé : vol constaté, plainte déposée.")
	test.Tap(as.Authorize)
	f.tapButton(u.t("authorize.authorize")) // « Autoriser le dossier … ? »
	cs := screenAs[*casework.CaseScreen](t, u)
	if cs.Case.State != procedure.StateAuthorized {
		t.Fatalf("state %s after authorization", cs.Case.State)
	}
}

// TestFullProcedure drives the whole procedure through the window: request
// by the operator, confirmation, authorization by the security manager (as
// another user), preview, export, delivery and the register sheet, and
// checks the register entries and the files on disk.
//
// R-REQ-1 R-REQ-2 R-REQ-4 R-AUTH-1 R-EXP-1 R-EXP-3 R-ENC-1 R-ENC-2 R-DLV-1 (rev.) R-DLV-2 R-REG-1 R-REG-3 R-PRG-1 R-PRG-3
func TestFullProcedure(t *testing.T) {
	f := newFixture(t)
	u := f.u

	// Request and confirmation by the operator.
	f.login("o.martin")
	number := f.fileRequest(procedure.ReasonIncident, "entree", "caisses")
	if err := procedure.CheckCaseNumber(number); err != nil {
		t.Fatal(err)
	}
	cs := screenAs[*casework.CaseScreen](t, u)
	if _, ok := cs.Actions[actAuthorize]; ok {
		t.Fatal("an operator sees an authorize button")
	}
	f.confirmCase()
	cs = screenAs[*casework.CaseScreen](t, u)
	if r := cs.Actions[actExport].Reason(); r != u.t("reason.wait_authorization") {
		t.Fatalf("export before authorization: reason %q", r)
	}

	// Authorization by the security manager.
	f.authorizeAs(number)
	if c := f.caseOf(number); c.Authorization == nil || c.Authorization.By != "rs.bernard" {
		t.Fatalf("authorization not recorded by rs.bernard: %+v", c.Authorization)
	}

	// Preview by the operator.
	f.login("o.martin")
	cs = u.showCase(number)
	u.Wait()
	if cs.Primary != actExport {
		t.Fatalf("primary action %q, want export", cs.Primary)
	}
	test.Tap(cs.Actions[actPreview])
	b := screenAs[*browser.Screen](t, u)
	p := b.Player
	waitFor(t, "the first frame", func() bool { return !p.Current().IsZero() })
	if c := p.Current(); c.Before(testFrom.Add(-time.Second)) || c.After(testFrom.Add(time.Second)) {
		t.Fatalf("player opened at %s, want %s", c, testFrom)
	}
	c0 := p.Current()
	test.Tap(p.Next)
	waitFor(t, "one frame forward", func() bool { return p.Current().After(c0) })
	if d := p.Current().Sub(c0); d > 200*time.Millisecond {
		t.Fatalf("+1 frame moved %s", d)
	}
	c1 := p.Current()
	test.Tap(p.Prev)
	waitFor(t, "one frame back", func() bool { return p.Current().Before(c1) })
	test.Tap(p.Play)
	c2 := p.Current()
	waitFor(t, "playback", func() bool { return p.Current().After(c2.Add(200 * time.Millisecond)) })
	test.Tap(p.Play) // pause
	row := b.Row("entree")
	target := row.Line.TimeAt(row.Line.Size().Width * 0.8)
	test.TapAt(row.Line, fyne.NewPos(row.Line.Size().Width*0.8, 5))
	waitFor(t, "the seek", func() bool {
		c := p.Current()
		return c.After(target.Add(-time.Second)) && c.Before(target.Add(time.Second))
	})
	if img := p.View.Image(); img == nil || img.Bounds().Dx() < 100 {
		t.Fatal("no picture in the player")
	}
	test.Tap(b.MarkIn)
	p.StepFrames(25)
	waitFor(t, "frames forward", func() bool { return p.Current().After(target.Add(500 * time.Millisecond)) })
	test.Tap(b.MarkOut)
	if !strings.Contains(b.Selection.Text, "2") {
		t.Fatalf("selection: %q", b.Selection.Text)
	}

	// Export.
	cs = u.showCase(number)
	u.Wait()
	test.Tap(cs.Actions[actExport])
	es := screenAs[*casework.ExportScreen](t, u)
	if !es.Encrypt.Checked || !es.Encrypt.Disabled() {
		t.Fatal("an external recipient's export must be encrypted, always")
	}
	test.Tap(es.Start)
	u.Wait()
	if es.Result == nil {
		t.Fatalf("export failed: %s", es.Message.Text)
	}
	if es.Result.Complete || len(es.Result.Gaps) == 0 || es.Result.Gaps[0].Camera != "caisses" {
		t.Fatalf("the gap of camera caisses is not reported: %+v", es.Result.Gaps)
	}
	pw := es.Password.Text
	if len(pw) < 16 || pw != es.Result.Password {
		t.Fatalf("password shown %q", pw)
	}
	if _, err := os.Stat(es.Result.Archive); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("7z", "t", "-p"+pw, es.Result.Archive).CombinedOutput(); err != nil {
		t.Fatalf("7z cannot open the archive with the password shown: %v\n%s", err, out)
	}
	es.PwChannel.SetSelected(u.t("channel.phone"))
	assertNotOnDisk(t, f.dir, pw)

	// Delivery on a sealed USB key added to the inventory.
	test.Tap(es.ToDelivery)
	ds := screenAs[*casework.DeliveryScreen](t, u)
	test.Tap(ds.AddMedium)
	test.Type(f.dialogEntries()[0], "USB-0007")
	f.tapButton(u.t("common.add"))
	ds = screenAs[*casework.DeliveryScreen](t, u)
	if ds.SelectedMedium() != "USB-0007" {
		t.Fatalf("medium %q", ds.MediaSel.Selected)
	}
	if ds.PwCh.Selected != u.t("channel.phone") {
		t.Fatalf("password channel chosen at export not carried: %q", ds.PwCh.Selected)
	}
	test.Type(ds.Ident, "matricule 123456")
	test.Type(ds.Seal, "SC-0007")
	test.Tap(ds.Deliver)
	u.Wait()
	ds = screenAs[*casework.DeliveryScreen](t, u)
	if ds.Case.State != procedure.StateDelivered {
		t.Fatalf("state %s after delivery: %s", ds.Case.State, ds.Message.Text)
	}
	for _, doc := range []string{papers.DocReceipt, papers.DocLabel, papers.DocSheet} {
		ds = screenAs[*casework.DeliveryScreen](t, u)
		switch doc {
		case papers.DocReceipt:
			test.Tap(ds.PrintReceipt)
		case papers.DocLabel:
			test.Tap(ds.PrintLabel)
		case papers.DocSheet:
			test.Tap(ds.PrintSheet)
		}
		u.Wait()
		want := filepath.Join(u.printDir(), number+"-"+doc+".pdf")
		if u.lastPrint != want {
			t.Fatalf("printed %q, want %q", u.lastPrint, want)
		}
		text := pdfText(t, want)
		if !strings.Contains(text, number) {
			t.Fatalf("%s does not name the case:\n%s", doc, text)
		}
		if strings.Contains(text, pw) {
			t.Fatalf("%s carries the password", doc)
		}
	}

	// The signed receipt, scanned, is attached to the case; then it closes.
	scan, err := os.ReadFile(filepath.Join(u.printDir(), number+"-"+papers.DocReceipt+".pdf"))
	if err != nil {
		t.Fatal(err)
	}
	cs = u.showCase(number)
	u.Wait()
	if cs.Primary != actAttach {
		t.Fatalf("primary after delivery %q, want attach", cs.Primary)
	}
	// R-DLV-1 (rev.): a case handed over closes only with the signed
	// receipt; the case says so where the next step is.
	if r := cs.Actions[actClose].Reason(); r != u.t("reason.receipt_first") || cs.Hint.Text != r {
		t.Fatalf("close before the receipt: reason %q, hint %q", r, cs.Hint.Text)
	}
	casework.AttachReceipt(u.window(), number, "recepisse-signe.pdf", bytes.NewReader(scan), cs.Message, cs.Reload)
	u.Wait()
	cs = screenAs[*casework.CaseScreen](t, u)
	if len(cs.Case.Attachments) != 1 || cs.Primary != actClose {
		t.Fatalf("attachments %+v, primary %q: %s", cs.Case.Attachments, cs.Primary, cs.Message.Text)
	}
	test.Tap(cs.Actions[actClose])
	f.tapButton(u.t("action.close"))
	if c := f.caseOf(number); c.State != procedure.StateClosed {
		t.Fatalf("state %s after closing", c.State)
	}

	// The export folder is a tracked copy, purged from the dashboard
	// (R-PRG-1, R-PRG-3).
	test.Tap(u.nav.item("tasks"))
	d := screenAs[*dashboardScreen](t, u)
	if len(d.rows[secPurges]) != 1 {
		t.Fatalf("%d purges due, want the export folder", len(d.rows[secPurges]))
	}
	test.Tap(d.rows[secPurges][0])
	f.tapButton(u.t("purge.files"))
	if _, err := os.Stat(filepath.Dir(es.Result.Archive)); !os.IsNotExist(err) {
		t.Fatalf("export folder still there after the purge: %v", err)
	}
	d = screenAs[*dashboardScreen](t, u)
	d.reload()
	u.Wait()
	if len(d.rows[secPurges]) != 0 {
		t.Fatal("the purged copy is still due")
	}

	// The register holds every step.
	acts := actions(f.caseOf(number))
	for _, a := range []string{"case.new", "case.confirm", "case.authorize", "case.export", "case.encrypt", "case.gaps", "case.deliver", "case.print", "case.attach", "case.close"} {
		if acts[a] == 0 {
			t.Errorf("no %s entry in the register: %v", a, acts)
		}
	}
	assertNotOnDisk(t, f.dir, pw)
}

// assertNotOnDisk fails when secret is in a file under dir (R-ENC-2: the
// password is never written to disk in clear).
func assertNotOnDisk(t *testing.T, dir, secret string) {
	t.Helper()
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err == nil && bytes.Contains(b, []byte(secret)) {
			t.Errorf("the password is written in %s", p)
		}
		return nil
	})
}

// pdfText extracts the text of a PDF with pdftotext.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Fatalf("%s is not a PDF", path)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}
