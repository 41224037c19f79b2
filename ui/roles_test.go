package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"mileo.tech/extract/export"
	"mileo.tech/extract/incident"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/ui/casework"
	"mileo.tech/extract/ui/screen"
)

// An operator never sees an authorize button: not on the dashboard, not on
// the case, not on the authorization screen (R-AUTH-1).
func TestOperatorSeesNoAuthorizeButton(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("o.martin")
	number := f.fileRequest(procedure.ReasonIncident, "entree")
	f.confirmCase()
	cs := screenAs[*casework.CaseScreen](t, u)
	for _, a := range []string{actAuthorize, actAck} {
		if _, ok := cs.Actions[a]; ok {
			t.Errorf("operator sees the %s action", a)
		}
	}
	for _, o := range f.objects() {
		if b, ok := o.(*screen.ActionButton); ok && b.Text == u.t("action.authorize") {
			t.Error("an authorize button is on the operator's case screen")
		}
	}
	u.showDashboard()
	d := screenAs[*dashboardScreen](t, u)
	if _, ok := d.cards[secAuthorize]; ok {
		t.Error("the operator's dashboard has a section to authorize")
	}
	if d.row(secWaiting, number) == nil {
		t.Error("the confirmed case is not listed as waiting for authorization")
	}
	as := u.showAuthorize(number)
	u.Wait()
	if as.Authorize != nil || as.Refuse != nil {
		t.Error("the authorization screen offers buttons to an operator")
	}
	// The security manager does see it, as the next action.
	f.login("rs.bernard")
	cs = u.showCase(number)
	u.Wait()
	if cs.Primary != actAuthorize {
		t.Fatalf("security manager's primary action %q", cs.Primary)
	}
}

// A refused case offers no export, not even an emergency one (R-AUTH-4).
func TestRefusedCaseOffersNoExport(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("o.martin")
	number := f.fileRequest(procedure.ReasonInsurance, "caisses")
	f.confirmCase()
	f.login("rs.bernard")
	as := u.showAuthorize(number)
	u.Wait()
	test.Tap(as.Refuse)
	u.Wait()
	if as.Message.Text != u.t("authorize.refuse.need_reason") {
		t.Fatalf("a refusal without reason: %q", as.Message.Text)
	}
	test.Type(as.Note, "Le sinistre n'est pas couvert par la caméra demandée.")
	test.Tap(as.Refuse)
	cs := screenAs[*casework.CaseScreen](t, u)
	if cs.Case.State != procedure.StateRefused || cs.Case.Refusal == nil || cs.Case.Refusal.By != "rs.bernard" {
		t.Fatalf("state %s, refusal %+v", cs.Case.State, cs.Case.Refusal)
	}

	f.login("o.martin")
	cs = u.showCase(number)
	u.Wait()
	exp := cs.Actions[actExport]
	if !exp.Disabled() || exp.Reason() != u.t("reason.refused") {
		t.Fatalf("export of a refused case: disabled %v, reason %q", exp.Disabled(), exp.Reason())
	}
	if _, ok := cs.Actions[actEmergency]; ok {
		t.Fatal("a refused case offers an emergency export")
	}
	// Resting the pointer on it says why.
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(exp).AddXY(5, 5)
	test.MoveMouse(f.win.Canvas(), pos)
	if !cs.Tips.Box.Visible() || cs.Tips.Text.Text != u.t("reason.refused") {
		t.Fatalf("tooltip visible %v: %q", cs.Tips.Box.Visible(), cs.Tips.Text.Text)
	}
	test.MoveMouse(f.win.Canvas(), fyne.NewPos(2, 2))
	if cs.Tips.Box.Visible() {
		t.Fatal("the tooltip stays after the pointer left")
	}
	if !cs.Actions[actDeliver].Disabled() {
		t.Fatal("a refused case offers a delivery")
	}
	if cs.Primary != actClose {
		t.Fatalf("primary action %q, want close", cs.Primary)
	}
	// The export screen itself refuses (the register decides).
	es := u.showExport(number, false)
	u.Wait()
	test.Tap(es.Start)
	u.Wait()
	if es.Result != nil || es.Message.Text == "" {
		t.Fatal("a refused case was exported")
	}
	// The refused case closes without a note.
	cs = u.showCase(number)
	u.Wait()
	test.Tap(cs.Actions[actClose])
	f.tapButton(u.t("action.close"))
	if c := f.caseOf(number); c.State != procedure.StateClosed {
		t.Fatalf("state %s after closing", c.State)
	}
}

// An emergency export needs its reason, records an incident and leaves the
// security manager a task to authorize afterwards (R-AUTH-3, R-REG-6).
func TestEmergencyExport(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("o.martin")
	number := f.fileRequest(procedure.ReasonIncident, "entree")
	f.confirmCase()
	cs := screenAs[*casework.CaseScreen](t, u)
	test.Tap(cs.Actions[actEmergency])
	es := screenAs[*casework.ExportScreen](t, u)
	if !es.Emergency {
		t.Fatal("not in emergency mode")
	}
	test.Tap(es.Start)
	u.Wait()
	if es.Message.Text != u.t("export.emergency.need_reason") || es.Result != nil {
		t.Fatalf("emergency export without reason: %q", es.Message.Text)
	}
	test.Type(es.EmergencyReason, "Le VMS purge ces images dans une heure.")
	test.Tap(es.Start)
	u.Wait()
	if es.Result == nil {
		t.Fatalf("emergency export failed: %s", es.Message.Text)
	}
	c := f.caseOf(number)
	if c.Emergency == nil || len(c.Incidents) == 0 {
		t.Fatalf("no emergency or incident recorded: %+v %+v", c.Emergency, c.Incidents)
	}
	// The security manager sees the task and authorizes afterwards.
	f.login("rs.bernard")
	d := screenAs[*dashboardScreen](t, u)
	if d.row(secAuthorize, number) == nil {
		t.Fatal("no task to authorize the emergency export afterwards")
	}
	found := false
	incidents, err := f.store.Incidents.List(context.Background(), u.sess)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range incidents {
		if in.Case == number && in.Kind == incident.ExportWithoutAuthorization {
			found = true
		}
	}
	if !found {
		t.Fatalf("incidents: %+v", incidents)
	}
	test.Tap(d.row(secAuthorize, number))
	as := screenAs[*casework.AuthorizeScreen](t, u)
	test.Tap(as.Authorize)
	f.tapButton(u.t("authorize.authorize")) // « Autoriser le dossier … ? »
	cs = screenAs[*casework.CaseScreen](t, u)
	if cs.Case.Authorization == nil || !cs.Case.Authorization.AfterEmergency {
		t.Fatalf("authorization afterwards not recorded: %+v", cs.Case.Authorization)
	}
}

// A judicial requisition with its reference counts as authorization and
// the security manager is told at once (R-AUTH-2).
func TestJudicialRequisition(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("o.martin")
	test.Tap(u.nav.item("new"))
	w := screenAs[*casework.WizardScreen](t, u)
	w.SetReason(procedure.ReasonJudicial)
	if !w.RequisitBox.Visible() {
		t.Fatal("no requisition reference field for a judicial request")
	}
	test.Type(w.Requisition, "PV 2026/001234")
	test.Tap(w.Next)
	test.Type(w.ReqName, "Lt. Girard")
	test.Type(w.ReqOrg, "Commissariat de Créteil")
	test.Type(w.ReqContact, "01 45 17 00 00")
	test.Type(w.Recipient, "Commissariat de Créteil")
	test.Tap(w.Next)
	test.Type(w.From, testFrom.In(u.loc).Format(u.timeLayout()))
	test.Type(w.To, testTo.In(u.loc).Format(u.timeLayout()))
	w.SelectCameras("entree")
	test.Tap(w.Next)
	test.Type(w.Justification, "Réquisition judiciaire pour agression.")
	test.Tap(w.Next)
	test.Tap(w.Submit)
	cs := screenAs[*casework.CaseScreen](t, u)
	u.Wait()
	number := cs.Case.Number
	f.confirmCase()
	cs = screenAs[*casework.CaseScreen](t, u)
	if cs.Case.State != procedure.StateAuthorized || cs.Case.Authorization == nil || cs.Case.Authorization.Basis != "requisition" {
		t.Fatalf("requisition not taken as authorization: %s %+v", cs.Case.State, cs.Case.Authorization)
	}
	f.login("rs.bernard")
	d := screenAs[*dashboardScreen](t, u)
	if d.row(secAuthorize, number) == nil {
		t.Fatal("the security manager is not told of the requisition")
	}
	cs = u.showCase(number)
	u.Wait()
	if cs.Primary != actAck {
		t.Fatalf("primary %q, want acknowledge", cs.Primary)
	}
	test.Tap(cs.Actions[actAck])
	u.Wait()
	if c := f.caseOf(number); c.Acknowledged == nil || c.HasTask("judicial_notification") {
		t.Fatalf("requisition not acknowledged: %+v", c.Acknowledged)
	}
}

// The same channel for the file and the password is refused and recorded
// as an incident (R-ENC-2, R-REG-6).
func TestDeliverySameChannelRefused(t *testing.T) {
	f := newFixture(t)
	u := f.u
	number, _ := f.exportedCase()
	ds := u.showDelivery(number)
	u.Wait()
	// A USB key handed over with the password in the same hand.
	test.Tap(ds.AddMedium)
	test.Type(f.dialogEntries()[0], "USB-0009")
	f.tapButton(u.t("common.add"))
	ds = screenAs[*casework.DeliveryScreen](t, u)
	ds.PwCh.SetSelected(u.t("channel.hand"))
	test.Type(ds.Ident, "matricule 42")
	test.Type(ds.Seal, "SC-0009")
	test.Tap(ds.Deliver)
	u.Wait()
	if ds.Message.Text != u.t("error.same_channel") {
		t.Fatalf("same channel accepted: %q", ds.Message.Text)
	}
	c := f.caseOf(number)
	if c.State != procedure.StateExported || len(c.Incidents) == 0 || c.Incidents[len(c.Incidents)-1].Kind != incident.SameChannel {
		t.Fatalf("state %s, incidents %+v", c.State, c.Incidents)
	}
	// By another channel it goes through.
	ds.PwCh.SetSelected(u.t("channel.phone"))
	test.Tap(ds.Deliver)
	u.Wait()
	if c := f.caseOf(number); c.State != procedure.StateDelivered || c.Deliveries[0].PasswordChannel != "phone" {
		t.Fatalf("state %s after delivery: %s", c.State, ds.Message.Text)
	}
}

// Cancelling an export stops it: no result, no password, the case stays
// exportable, and the failure is recorded.
func TestExportCancel(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("o.martin")
	number := f.fileRequest(procedure.ReasonIncident, "entree", "caisses")
	f.confirmCase()
	f.authorizeAs(number)
	f.login("o.martin")
	es := u.showExport(number, false)
	u.Wait()
	cancelled := false
	es.ProgressHook = func(p export.Progress) {
		if !cancelled {
			cancelled = true
			fyne.DoAndWait(func() { test.Tap(es.Cancel) })
		}
	}
	test.Tap(es.Start)
	u.Wait()
	if !cancelled || es.Result != nil || es.Message.Text != u.t("error.cancelled") {
		t.Fatalf("cancelled %v, result %v, message %q", cancelled, es.Result != nil, es.Message.Text)
	}
	if es.Start.Disabled() {
		t.Fatal("the export cannot be started again")
	}
	c := f.caseOf(number)
	if c.State != procedure.StateAuthorized {
		t.Fatalf("state %s after a cancelled export", c.State)
	}
	if acts := actions(c); acts["case.export.fail"] == 0 {
		t.Errorf("no case.export.fail entry: %v", acts)
	}
}
