package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/papers"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/ui/browser"
	"mileo.tech/extract/ui/casework"
	"mileo.tech/extract/ui/review"
	"mileo.tech/extract/ui/screen"
	"mileo.tech/extract/ui/settings"
)

// The six journeys of issue #20, walked as the people who use the window
// every day walk them, through Fyne's test driver: each step asserts
// what the person reads on the screen, not only what the register holds.

// texts lists what the window shows: the text of every visible label,
// button, entry, choice, card title and drawn text, dialogs included.
func (f *fixture) texts() []string {
	c := f.win.Canvas()
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
			return
		case *widget.Button:
			out = append(out, x.Text)
			return
		case *screen.ActionButton:
			out = append(out, x.Text)
			return
		case *widget.Entry:
			out = append(out, x.Text)
			return
		case *widget.Select:
			out = append(out, x.Selected)
			return
		case *widget.Check:
			out = append(out, x.Text)
			return
		case *widget.Card:
			out = append(out, x.Title, x.Subtitle)
			walk(x.Content)
			return
		case *canvas.Text:
			out = append(out, x.Text)
			return
		case *container.Scroll:
			walk(x.Content)
			return
		case *fyne.Container:
			for _, ch := range x.Objects {
				walk(ch)
			}
			return
		case *widget.List:
			// Only the rows drawn.
		}
		if w, ok := o.(fyne.Widget); ok {
			for _, ch := range test.WidgetRenderer(w).Objects() {
				walk(ch)
			}
		}
	}
	ov := c.Overlays().List()
	for i := len(ov) - 1; i >= 0; i-- {
		walk(ov[i])
	}
	walk(c.Content())
	return out
}

// sees reports whether a visible text of the window contains s.
func (f *fixture) sees(s string) bool {
	f.u.Wait()
	for _, t := range f.texts() {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

// mustSee fails the step when one of want is not on the screen.
func (f *fixture) mustSee(step string, want ...string) {
	f.t.Helper()
	for _, w := range want {
		if w == "" {
			f.t.Fatalf("%s: an empty text to look for", step)
		}
		if !f.sees(w) {
			f.t.Fatalf("%s: the screen does not show %q; it shows:\n%s", step, w, strings.Join(nonEmpty(f.texts()), "\n"))
		}
	}
}

// mustNotSee fails the step when s is on the screen.
func (f *fixture) mustNotSee(step, s string) {
	f.t.Helper()
	if f.sees(s) {
		f.t.Fatalf("%s: the screen shows %q", step, s)
	}
}

func nonEmpty(l []string) []string {
	var out []string
	for _, s := range l {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// dialogShown reports whether a dialog is open over the window.
func (f *fixture) dialogShown() bool {
	f.u.Wait()
	return f.win.Canvas().Overlays().Top() != nil
}

// actionPlaces returns where each action button of the case screen is.
func actionPlaces(cs *casework.CaseScreen) map[string]fyne.Position {
	d := fyne.CurrentApp().Driver()
	out := map[string]fyne.Position{}
	for id, b := range cs.Actions {
		out[id] = d.AbsolutePositionForObject(b)
	}
	return out
}

// Journey 1, first run: the administrator creates the register, finds the
// site name in Settings, creates an operator's account and hands over the
// one-time password; the operator logs in with it, is told which rule a
// weak password breaks, chooses theirs and lands on their tasks
// (R-REG-1, R-REG-2 rev., R-KEY-1).
func TestJourneyFirstRun(t *testing.T) {
	f := newEmptyFixture(t)
	f.start()
	u := f.u
	fr := screenAs[*loginScreen](t, u)
	f.mustSee("first start", u.t("firstrun.title"), u.t("firstrun.create"))
	test.Type(fr.site, "Entrepôt Sud — Créteil")
	test.Type(fr.password, adminPW)
	test.Type(fr.confirm, adminPW)
	fr.witness.SetText(filepath.Join(t.TempDir(), "temoin"))
	test.Tap(fr.create)
	u.Wait()

	st := screenAs[*settings.Screen](t, u)
	f.mustSee("settings after the first run", "Entrepôt Sud — Créteil", "admin")
	test.Type(st.UserName, "o.martin")
	st.UserRole.SetSelected(u.roleTitle(register.RoleOperator))
	test.Tap(st.AddUser)
	u.Wait()
	if !f.dialogShown() {
		t.Fatal("the one-time password is not shown")
	}
	otp := st.OTP.Text
	f.mustSee("one-time password", otp)
	f.tapButton(u.t("common.close"))
	f.mustNotSee("after closing the dialog", otp)
	if st.UsersMsg.Importance != widget.SuccessImportance {
		t.Fatalf("account created, said as %v: %q", st.UsersMsg.Importance, st.UsersMsg.Text)
	}

	// The operator's first login: the one-time password, then theirs.
	f.loginWith("o.martin", otp)
	ps := screenAs[*passwordScreen](t, u)
	if u.nav != nil {
		t.Fatal("the window opens with a one-time password")
	}
	test.Type(ps.next, "court")
	test.Type(ps.confirm, "court")
	test.Tap(ps.save)
	u.Wait()
	f.mustSee("weak password", u.t("err.password.password_have_at", "Min", 12))
	ps.next.SetText(opPW)
	ps.confirm.SetText(opPW)
	test.Tap(ps.save)
	screenAs[*dashboardScreen](t, u)
	f.mustSee("the operator's tasks", u.t("dash.title"), "o.martin", u.t("nav.new"))
}

// Journey 2, operator request: from the tasks to the wizard's five steps,
// each saying where the person is and refusing to go on without what it
// needs; the case then says it is the operator's turn to confirm with the
// requester, the confirmation shows the request's range and cameras, and
// afterwards the case says the security manager decides next. The buttons
// of the case keep their place from one state to the next (R-REQ-1,
// R-REQ-2, R-REQ-4, R-AUTH-1).
func TestJourneyOperatorRequest(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("o.martin")
	d := screenAs[*dashboardScreen](t, u)
	f.mustSee("tasks", u.t("dash.title"))
	_ = d
	test.Tap(u.nav.item("new"))
	w := screenAs[*casework.WizardScreen](t, u)
	step := func(n int) string {
		return u.t("wizard.step", "N", n, "Total", 5, "Name", u.t("wizard.step"+string(rune('0'+n))))
	}
	f.mustSee("wizard", u.t("wizard.title"), step(1))
	test.Tap(w.Next)
	if w.Step != 0 || w.Message.Text == "" || !f.sees(w.Message.Text) {
		t.Fatalf("the wizard goes on without a reason, or says nothing: %q", w.Message.Text)
	}
	w.SetReason(procedure.ReasonIncident)
	test.Tap(w.Next)
	f.mustSee("step 2", step(2))
	test.Type(w.ReqName, "Claire Moreau")
	test.Type(w.ReqOrg, "Direction du magasin")
	test.Type(w.ReqContact, "01 23 45 67 89")
	test.Type(w.Recipient, "Commissariat de Créteil")
	test.Tap(w.Next)
	f.mustSee("step 3", step(3))
	test.Type(w.From, testFrom.In(u.loc).Format(u.timeLayout()))
	test.Type(w.To, testTo.In(u.loc).Format(u.timeLayout()))
	w.SelectCameras("entree")
	test.Tap(w.Next)
	f.mustSee("step 4", step(4))
	test.Type(w.Justification, "Vol à l'étalage signalé par la caisse 3 ; l'enquête demande les images.")
	test.Tap(w.Next)
	f.mustSee("summary", step(5), "Claire Moreau", "Commissariat de Créteil")
	test.Tap(w.Submit)

	cs := screenAs[*casework.CaseScreen](t, u)
	number := cs.Case.Number
	f.mustSee("the new case", u.t("case.title", "Number", number), u.stateTitle(procedure.StateRequested),
		u.t("case.next.you", "Act", u.t("action.confirm")), "Claire Moreau", "Entrée principale")
	before := actionPlaces(cs)

	// The confirmation shows what was asked, to read to the requester.
	test.Tap(cs.Actions[actConfirm])
	if !f.dialogShown() {
		t.Fatal("no confirmation dialog")
	}
	f.mustSee("confirmation", "Claire Moreau", testFrom.In(u.loc).Format(u.timeLayout()))
	test.Type(f.dialogEntries()[0], "téléphone")
	f.tapButton(u.t("action.confirm"))
	cs = screenAs[*casework.CaseScreen](t, u)
	f.mustSee("confirmed", u.stateTitle(procedure.StateConfirmed),
		u.t("case.next.security_manager", "Act", u.t("action.authorize")))
	if r := cs.Actions[actExport].Reason(); r != u.t("reason.wait_authorization") {
		t.Fatalf("export before the authorization: %q", r)
	}
	after := actionPlaces(cs)
	for id, p := range before {
		if q, ok := after[id]; ok && q != p {
			t.Errorf("button %s moved from %v to %v when the case was confirmed", id, p, q)
		}
	}

	// The tasks list the case with its date, cameras and requester.
	test.Tap(u.nav.item("tasks"))
	screenAs[*dashboardScreen](t, u)
	// Cameras by their display names, not their IDs.
	if got := u.cameraNames([]string{"entree"}); got != "Entrée principale" {
		t.Fatalf("camera entree shown as %q", got)
	}
	f.mustSee("tasks after the request", number, "Claire Moreau",
		u.t("dash.case.line", "Opened", u.now().In(u.loc).Format(u.dateLayout()), "Cameras", "Entrée principale"))
}

// Journey 3, authorization: the security manager finds the request in
// their tasks, reads it on one page, views the footage and comes back to
// the decision, is asked to confirm before authorizing (and may cancel),
// and the case then says the operator exports next. Refusing needs a
// reason (R-AUTH-1, R-AUTH-4, R-ACC-1, R-SOD-1).
func TestJourneyAuthorization(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("o.martin")
	number := f.fileRequest(procedure.ReasonIncident, "entree")
	f.confirmCase()

	f.login("rs.bernard")
	d := screenAs[*dashboardScreen](t, u)
	f.mustSee("tasks", number, "Claire Moreau")
	test.Tap(d.row(secAuthorize, number))
	screenAs[*casework.AuthorizeScreen](t, u)
	f.mustSee("decision", u.t("authorize.title", "Number", number), "Claire Moreau", "Vol à l'étalage", u.t("authorize.authorize"), u.t("authorize.refuse"))

	// « Visionner », then back to the decision.
	f.tapButton(u.t("action.preview"))
	b := screenAs[*browser.Screen](t, u)
	waitFor(t, "the footage", func() bool { return !b.Player.Current().IsZero() })
	if b.Back == nil || b.Back.Text != u.t("authorize.back") {
		t.Fatal("no way back to the decision from the player")
	}
	test.Tap(b.Back)
	as := screenAs[*casework.AuthorizeScreen](t, u)

	// A refusal needs its reason.
	test.Tap(as.Refuse)
	f.mustSee("refusal without a reason", u.t("authorize.refuse.need_reason"))

	// « Autoriser » asks first; cancelling changes nothing.
	test.Type(as.Note, "Autorisé : vol constaté, plainte déposée.")
	test.Tap(as.Authorize)
	f.mustSee("confirmation", u.t("authorize.confirm.title", "Number", number), u.t("authorize.confirm.text"))
	f.tapButton(u.t("common.cancel"))
	if c := f.caseOf(number); c.State != procedure.StateConfirmed {
		t.Fatalf("state %s after a cancelled authorization", c.State)
	}
	test.Tap(as.Authorize)
	f.tapButton(u.t("authorize.authorize"))
	cs := screenAs[*casework.CaseScreen](t, u)
	f.mustSee("authorized", u.stateTitle(procedure.StateAuthorized), "rs.bernard",
		u.t("case.next.operator", "Act", u.t("action.export")))
	if cs.Case.Authorization == nil || cs.Case.Authorization.By != "rs.bernard" {
		t.Fatalf("authorization %+v", cs.Case.Authorization)
	}
}

// Journey 4, export and delivery: the operator exports, reads the password
// once and says how it will travel; hands the archive over on a sealed
// key added on the spot; prints the receipt; the case then says the
// signed receipt comes next, and once it is attached that the case can be
// closed; closed, it says so (R-EXP-1, R-EXP-3, R-ENC-1, R-ENC-2, R-DLV-1
// rev., R-DLV-2).
func TestJourneyExportDelivery(t *testing.T) {
	f := newFixture(t)
	u := f.u
	number := f.authorizedCase()
	cs := u.showCase(number)
	u.Wait()
	f.mustSee("authorized", u.t("case.next.you", "Act", u.t("action.export")))
	test.Tap(cs.Actions[actExport])
	es := screenAs[*casework.ExportScreen](t, u)
	if !es.Encrypt.Checked || !es.Encrypt.Disabled() {
		t.Fatal("an external recipient's export can be left unencrypted")
	}
	test.Tap(es.Start)
	u.Wait()
	if es.Result == nil {
		t.Fatalf("export failed: %s", es.Message.Text)
	}
	pw := es.Result.Password
	f.mustSee("the export", pw, u.t("export.password.title"), u.t("export.password.reminder"))
	es.PwChannel.SetSelected(u.t("channel.phone"))
	assertNotOnDisk(t, f.dir, pw)

	test.Tap(es.ToDelivery)
	ds := screenAs[*casework.DeliveryScreen](t, u)
	f.mustSee("delivery", "Commissariat de Créteil")
	test.Tap(ds.AddMedium)
	f.mustSee("new medium", u.t("common.add"))
	test.Type(f.dialogEntries()[0], "USB-0007")
	f.tapButton(u.t("common.add"))
	if ds.SelectedMedium() != "USB-0007" {
		t.Fatalf("the medium just added is not chosen: %q", ds.MediaSel.Selected)
	}
	test.Type(ds.Ident, "matricule 123456")
	test.Type(ds.Seal, "SC-0007")
	test.Tap(ds.Deliver)
	u.Wait()
	ds = screenAs[*casework.DeliveryScreen](t, u)
	f.mustSee("handed over", u.t("delivery.saved"))
	if ds.Message.Importance == widget.DangerImportance && ds.Message.Text != "" {
		t.Fatalf("success said in red: %q", ds.Message.Text)
	}
	test.Tap(ds.PrintReceipt)
	u.Wait()
	receipt := filepath.Join(u.printDir(), number+"-"+papers.DocReceipt+".pdf")
	if u.lastPrint != receipt {
		t.Fatalf("printed %q", u.lastPrint)
	}

	cs = u.showCase(number)
	u.Wait()
	f.mustSee("delivered", u.stateTitle(procedure.StateDelivered), u.t("case.next.you", "Act", u.t("action.attach")), u.t("reason.receipt_first"))
	scan, err := os.ReadFile(receipt)
	if err != nil {
		t.Fatal(err)
	}
	casework.AttachReceipt(u.window(), number, "recepisse-signe.pdf", bytes.NewReader(scan), cs.Message, cs.Reload)
	u.Wait()
	cs = screenAs[*casework.CaseScreen](t, u)
	f.mustSee("receipt attached", "recepisse-signe.pdf", u.t("case.next.you", "Act", u.t("action.close")))
	test.Tap(cs.Actions[actClose])
	if !f.dialogShown() {
		t.Fatal("closing the case asks nothing")
	}
	f.tapButton(u.t("action.close"))
	screenAs[*casework.CaseScreen](t, u)
	f.mustSee("closed", u.stateTitle(procedure.StateClosed), u.t("case.next.none"))
}

// Journey 5, access request with anonymization: the operator records the
// person's identity check, the tasks count the month left to answer; once
// authorized, the case says the anonymization comes before the export;
// the review finds the faces and renders them blurred; the export is
// anonymized, always, and the case then says what its final check leaves
// (R-REQ-1, R-DL-1, R-ANON-1, R-ANON-2 rev., R-ANON-3).
func TestJourneyAccessRequest(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("o.martin")
	number := f.fileRequest(procedure.ReasonAccess, "caisses")
	f.mustSee("the access request", "carte d'identité présentée à l'accueil")
	f.confirmCase()
	test.Tap(u.nav.item("tasks"))
	d := screenAs[*dashboardScreen](t, u)
	if d.row(secAccess, number) == nil {
		t.Fatal("the access request's deadline is not in the tasks")
	}
	due := procedure.AccessAnswerDue(f.caseOf(number).Received).In(u.loc).Format(u.dateLayout())
	f.mustSee("deadline", due)
	f.authorizeAs(number)

	f.login("o.martin")
	cs := u.showCase(number)
	u.Wait()
	f.mustSee("authorized", u.t("case.next.you", "Act", u.t("action.review")))
	if cs.Primary != actReview {
		t.Fatalf("primary %q, want the anonymization", cs.Primary)
	}
	test.Tap(cs.Actions[actReview])
	rv := screenAs[*review.Screen](t, u)
	test.Tap(rv.Detect)
	u.Wait()
	if rv.Plan == nil {
		t.Fatalf("detection failed: %s", rv.Message.Text)
	}
	test.Tap(rv.Render)
	u.Wait()
	if rv.Out == "" {
		t.Fatalf("render failed: %s", rv.Message.Text)
	}

	es := u.showExport(number, false)
	u.Wait()
	if !es.Anonymize.Checked || !es.Anonymize.Disabled() {
		t.Fatal("an access request can be exported without anonymization")
	}
	test.Tap(es.Start)
	u.Wait()
	if es.Result == nil || !es.Result.Files[0].Anonymized {
		t.Fatalf("export not anonymized: %s", es.Message.Text)
	}
	u.showCase(number)
	u.Wait()
	f.mustSee("exported", u.t("check.title"), u.t("case.export.anonymized"))
	if n := len(f.caseOf(number).LastExport().Unsettled()); n > 0 {
		f.mustSee("final check pending", u.t("check.pending", "Count", n), u.t("reason.check_unsettled"))
	} else {
		f.mustSee("final check clear", u.t("check.verified"), u.t("case.next.you", "Act", u.t("action.deliver")))
	}
}

// Journey 6, register and CNIL export: the DPO reads the register with
// its case-number column, narrows it by case, person, date and kind of
// action, verifies the chain (said in green) and exports it for the CNIL;
// the export is itself an entry (R-REG-2, R-REG-5).
func TestJourneyRegisterCNIL(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("o.martin")
	first := f.fileRequest(procedure.ReasonIncident, "entree")
	f.confirmCase()
	second := f.fileRequest(procedure.ReasonInsurance, "caisses")

	f.login("dpo.leroy")
	test.Tap(u.nav.item("register"))
	s := screenAs[*registerScreen](t, u)
	f.mustSee("register", u.t("register.title"), u.t("register.col.case"))
	total := len(s.all)

	s.caseF.SetText(first)
	if len(s.shown) == 0 || len(s.shown) >= total {
		t.Fatalf("the case filter kept %d of %d rows", len(s.shown), total)
	}
	for _, r := range s.shown {
		if r.subject != first {
			t.Fatalf("row #%d of %s shown for case %s", r.seq, r.subject, first)
		}
	}
	s.caseF.SetText("")
	s.person.SetSelected("o.martin")
	for _, r := range s.shown {
		if r.actor != "o.martin" {
			t.Fatalf("row #%d by %s shown for o.martin", r.seq, r.actor)
		}
	}
	s.kind.SetSelected(u.t("register.kind.case"))
	n := len(s.shown)
	if n == 0 {
		t.Fatal("no case entry of o.martin")
	}
	s.date.SetText(u.now().In(u.loc).Format(u.dateLayout()))
	if len(s.shown) != n {
		t.Fatalf("today's filter kept %d of %d rows", len(s.shown), n)
	}
	s.date.SetText("01/01/2001")
	if len(s.shown) != 0 {
		t.Fatalf("%d rows on a day without entries", len(s.shown))
	}
	s.date.SetText("")
	s.kind.SetSelected(u.t("register.all"))
	s.person.SetSelected(u.t("register.all"))
	if len(s.shown) != total {
		t.Fatalf("without filters %d of %d rows", len(s.shown), total)
	}
	f.mustSee("the list", second)

	test.Tap(s.verify)
	u.Wait()
	if s.result.Importance != widget.SuccessImportance {
		t.Fatalf("verification said as %v: %q", s.result.Importance, s.result.Text)
	}
	f.mustSee("verified", s.result.Text)
	before := countEntries(t, f, "register.export")
	var b bufCloser
	s.exportTo("pdf", &b)
	u.Wait()
	if !bytes.HasPrefix(b.Bytes(), []byte("%PDF")) {
		t.Fatal("the CNIL export is not a PDF")
	}
	f.mustSee("exported", u.t("register.exported", "Format", "PDF"))
	if countEntries(t, f, "register.export") != before+1 {
		t.Fatal("the export is not an entry of the register")
	}
}
