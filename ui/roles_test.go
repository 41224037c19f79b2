package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"mileo.tech/extract/export"
	"mileo.tech/extract/procedure"
)

// An operator never sees an authorize button: not on the dashboard, not on
// the case, not on the authorization screen (R-AUTH-1).
func TestOperatorSeesNoAuthorizeButton(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("o.martin")
	number := f.fileRequest(procedure.ReasonIncident, "entree")
	f.confirmCase()
	cs := screenAs[*caseScreen](t, u)
	for _, a := range []string{actAuthorize, actAck} {
		if _, ok := cs.actions[a]; ok {
			t.Errorf("operator sees the %s action", a)
		}
	}
	for _, o := range f.objects() {
		if b, ok := o.(*actionButton); ok && b.Text == u.t("action.authorize") {
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
	if as.authorize != nil || as.refuse != nil {
		t.Error("the authorization screen offers buttons to an operator")
	}
	// The security manager does see it, as the next action.
	f.login("rs.bernard")
	cs = u.showCase(number)
	u.Wait()
	if cs.primary != actAuthorize {
		t.Fatalf("security manager's primary action %q", cs.primary)
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
	test.Tap(as.refuse)
	u.Wait()
	if as.message.Text != u.t("authorize.refuse.need_reason") {
		t.Fatalf("a refusal without reason: %q", as.message.Text)
	}
	test.Type(as.note, "Le sinistre n'est pas couvert par la caméra demandée.")
	test.Tap(as.refuse)
	cs := screenAs[*caseScreen](t, u)
	if cs.c.State != procedure.StateRefused || cs.c.Refusal == nil || cs.c.Refusal.By != "rs.bernard" {
		t.Fatalf("state %s, refusal %+v", cs.c.State, cs.c.Refusal)
	}

	f.login("o.martin")
	cs = u.showCase(number)
	u.Wait()
	exp := cs.actions[actExport]
	if !exp.Disabled() || exp.Reason() != u.t("reason.refused") {
		t.Fatalf("export of a refused case: disabled %v, reason %q", exp.Disabled(), exp.Reason())
	}
	if _, ok := cs.actions[actEmergency]; ok {
		t.Fatal("a refused case offers an emergency export")
	}
	// Resting the pointer on it says why.
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(exp).AddXY(5, 5)
	test.MoveMouse(f.win.Canvas(), pos)
	if !cs.tips.box.Visible() || cs.tips.text.Text != u.t("reason.refused") {
		t.Fatalf("tooltip visible %v: %q", cs.tips.box.Visible(), cs.tips.text.Text)
	}
	test.MoveMouse(f.win.Canvas(), fyne.NewPos(2, 2))
	if cs.tips.box.Visible() {
		t.Fatal("the tooltip stays after the pointer left")
	}
	if !cs.actions[actDeliver].Disabled() {
		t.Fatal("a refused case offers a delivery")
	}
	if cs.primary != actClose {
		t.Fatalf("primary action %q, want close", cs.primary)
	}
	// The export screen itself refuses (the register decides).
	es := u.showExport(number, false)
	u.Wait()
	test.Tap(es.start)
	u.Wait()
	if es.res != nil || es.message.Text == "" {
		t.Fatal("a refused case was exported")
	}
	// The refused case closes without a note.
	cs = u.showCase(number)
	u.Wait()
	test.Tap(cs.actions[actClose])
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
	cs := screenAs[*caseScreen](t, u)
	test.Tap(cs.actions[actEmergency])
	es := screenAs[*exportScreen](t, u)
	if !es.emergency {
		t.Fatal("not in emergency mode")
	}
	test.Tap(es.start)
	u.Wait()
	if es.message.Text != u.t("export.emergency.need_reason") || es.res != nil {
		t.Fatalf("emergency export without reason: %q", es.message.Text)
	}
	test.Type(es.emergencyReason, "Le VMS purge ces images dans une heure.")
	test.Tap(es.start)
	u.Wait()
	if es.res == nil {
		t.Fatalf("emergency export failed: %s", es.message.Text)
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
		if in.Case == number && in.Kind == procedure.IncidentExportWithoutAuthorization {
			found = true
		}
	}
	if !found {
		t.Fatalf("incidents: %+v", incidents)
	}
	test.Tap(d.row(secAuthorize, number))
	as := screenAs[*authorizeScreen](t, u)
	test.Tap(as.authorize)
	cs = screenAs[*caseScreen](t, u)
	if cs.c.Authorization == nil || !cs.c.Authorization.AfterEmergency {
		t.Fatalf("authorization afterwards not recorded: %+v", cs.c.Authorization)
	}
}

// A judicial requisition with its reference counts as authorization and
// the security manager is told at once (R-AUTH-2).
func TestJudicialRequisition(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("o.martin")
	test.Tap(u.nav.item("new"))
	w := screenAs[*wizardScreen](t, u)
	w.setReason(procedure.ReasonJudicial)
	if !w.requisitBox.Visible() {
		t.Fatal("no requisition reference field for a judicial request")
	}
	test.Type(w.requisition, "PV 2026/001234")
	test.Tap(w.next)
	test.Type(w.reqName, "Lt. Girard")
	test.Type(w.reqOrg, "Commissariat de Créteil")
	test.Type(w.reqContact, "01 45 17 00 00")
	test.Type(w.recipient, "Commissariat de Créteil")
	test.Tap(w.next)
	test.Type(w.from, testFrom.In(u.loc).Format(u.timeLayout()))
	test.Type(w.to, testTo.In(u.loc).Format(u.timeLayout()))
	w.selectCameras("entree")
	test.Tap(w.next)
	test.Type(w.justification, "Réquisition judiciaire pour agression.")
	test.Tap(w.next)
	test.Tap(w.submit)
	cs := screenAs[*caseScreen](t, u)
	u.Wait()
	number := cs.c.Number
	f.confirmCase()
	cs = screenAs[*caseScreen](t, u)
	if cs.c.State != procedure.StateAuthorized || cs.c.Authorization == nil || cs.c.Authorization.Basis != "requisition" {
		t.Fatalf("requisition not taken as authorization: %s %+v", cs.c.State, cs.c.Authorization)
	}
	f.login("rs.bernard")
	d := screenAs[*dashboardScreen](t, u)
	if d.row(secAuthorize, number) == nil {
		t.Fatal("the security manager is not told of the requisition")
	}
	cs = u.showCase(number)
	u.Wait()
	if cs.primary != actAck {
		t.Fatalf("primary %q, want acknowledge", cs.primary)
	}
	test.Tap(cs.actions[actAck])
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
	f.login("o.martin")
	number := f.fileRequest(procedure.ReasonIncident, "entree")
	f.confirmCase()
	f.authorizeAs(number)
	f.login("o.martin")
	es := u.showExport(number, false)
	u.Wait()
	test.Tap(es.start)
	u.Wait()
	if es.res == nil {
		t.Fatal(es.message.Text)
	}
	ds := u.showDelivery(number)
	u.Wait()
	// A USB key handed over with the password in the same hand.
	test.Tap(ds.addMedium)
	test.Type(f.dialogEntries()[0], "USB-0009")
	f.tapButton(u.t("common.add"))
	ds = screenAs[*deliveryScreen](t, u)
	ds.pwCh.SetSelected(u.t("channel.hand"))
	test.Type(ds.ident, "matricule 42")
	test.Tap(ds.deliver)
	u.Wait()
	if ds.message.Text != u.t("error.same_channel") {
		t.Fatalf("same channel accepted: %q", ds.message.Text)
	}
	c := f.caseOf(number)
	if c.State != procedure.StateExported || len(c.Incidents) == 0 || c.Incidents[len(c.Incidents)-1].Kind != procedure.IncidentSameChannel {
		t.Fatalf("state %s, incidents %+v", c.State, c.Incidents)
	}
	// By another channel it goes through.
	ds.pwCh.SetSelected(u.t("channel.phone"))
	test.Tap(ds.deliver)
	u.Wait()
	if c := f.caseOf(number); c.State != procedure.StateDelivered || c.Deliveries[0].PasswordChannel != "phone" {
		t.Fatalf("state %s after delivery: %s", c.State, ds.message.Text)
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
	es.progressHook = func(p export.Progress) {
		if !cancelled {
			cancelled = true
			fyne.DoAndWait(func() { test.Tap(es.cancel) })
		}
	}
	test.Tap(es.start)
	u.Wait()
	if !cancelled || es.res != nil || es.message.Text != u.t("error.cancelled") {
		t.Fatalf("cancelled %v, result %v, message %q", cancelled, es.res != nil, es.message.Text)
	}
	if es.start.Disabled() {
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

// The speed buttons set the playback rate.
func TestPlayerSpeed(t *testing.T) {
	test.NewTempApp(t)
	p := newPlayer(&UI{})
	for _, tc := range []struct {
		label string
		want  float64
	}{{"2×", 2}, {"4×", 4}, {"1×", 1}} {
		p.speed.SetSelected(tc.label)
		if p.st.speed != tc.want {
			t.Errorf("%s: speed %v", tc.label, p.st.speed)
		}
	}
}
