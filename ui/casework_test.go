package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/ui/casework"
)

// The designated delegate decides only after stating, on the case, why the
// security manager is unavailable; a delegate nobody designated is refused
// with the core's own sentence; a statement already made is not asked
// again (R-AUTH-1, R-SOD-1).
func TestDelegateStandsIn(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.addDelegate(false)
	f.login("o.martin")
	number := f.fileRequest(procedure.ReasonIncident, "entree")
	f.confirmCase()

	f.login("d.petit")
	cs := u.showCase(number)
	u.Wait()
	if cs.Primary != actAuthorize {
		t.Fatalf("primary %q for the delegate, want the decision", cs.Primary)
	}
	test.Tap(cs.Actions[actAuthorize])
	as := screenAs[*casework.AuthorizeScreen](t, u)
	if as.StandIn == nil || len(as.StandIn.Options) != len(procedure.StandInReasons) {
		t.Fatal("the delegate is not asked why the security manager is unavailable")
	}
	if !f.shows(u.t("authorize.standin")) {
		t.Fatal("the question « Le responsable sécurité est indisponible : » is not shown")
	}
	test.Type(as.Note, "Autorisé en l'absence du responsable : vol constaté.")
	test.Tap(as.Authorize)
	u.Wait()
	if as.Message.Text != u.t("authorize.standin.need") {
		t.Fatalf("decided without saying why: %q", as.Message.Text)
	}
	// Not designated: the core refuses, in its own words.
	as.StandIn.SetSelected(u.t("standin.absent"))
	test.Tap(as.Authorize)
	f.tapButton(u.t("authorize.authorize")) // « Autoriser le dossier … ? »
	u.Wait()
	if as.Message.Text != u.t("err.delegate.not_designated_self") {
		t.Fatalf("a delegate not designated: %q", as.Message.Text)
	}
	if c := f.caseOf(number); c.State != procedure.StateConfirmed || c.StandIn != nil {
		t.Fatalf("state %s, stand-in %+v after a refused stand-in", c.State, c.StandIn)
	}

	// Designated by the security manager, the delegate decides.
	f.designate("d.petit")
	test.Tap(as.Authorize)
	f.tapButton(u.t("authorize.authorize")) // « Autoriser le dossier … ? »
	screenAs[*casework.CaseScreen](t, u)
	c := f.caseOf(number)
	if c.State != procedure.StateAuthorized || c.Authorization.By != "d.petit" || c.Authorization.Role != register.RoleDelegate {
		t.Fatalf("state %s, authorization %+v", c.State, c.Authorization)
	}
	if c.StandIn == nil || c.StandIn.By != "d.petit" || c.StandIn.Why != "absent" {
		t.Fatalf("stand-in %+v", c.StandIn)
	}
	var order []string
	for _, e := range c.Entries {
		if e.Action == "case.standin" || e.Action == "case.authorize" {
			order = append(order, e.Action)
		}
	}
	if !slices.Equal(order, []string{"case.standin", "case.authorize"}) {
		t.Fatalf("entries %v, want the stand-in before the decision", order)
	}

	// A stand-in already stated on a case by this delegate is not asked
	// again: the refusal goes straight through.
	f.login("o.martin")
	second := f.fileRequest(procedure.ReasonInsurance, "entree")
	f.confirmCase()
	f.login("d.petit")
	if _, err := f.store.Cases.StandIn(context.Background(), u.sess, second, "unreachable"); err != nil {
		t.Fatal(err)
	}
	as = u.showAuthorize(second)
	u.Wait()
	if as.StandIn != nil || !f.shows(u.t("authorize.standin.done", "Why", u.t("standin.unreachable"))) {
		t.Fatal("the stand-in already stated is asked again")
	}
	test.Type(as.Note, "Refusé : aucun sinistre déclaré.")
	test.Tap(as.Refuse)
	screenAs[*casework.CaseScreen](t, u)
	c = f.caseOf(second)
	if c.State != procedure.StateRefused || actions(c)["case.standin"] != 1 {
		t.Fatalf("state %s, %d stand-ins", c.State, actions(c)["case.standin"])
	}
}

// The handover goes to the recipient named in the request, or to a person
// of its organisation who says so; it is dated when recorded (no date
// field); a medium carries its seal number and registered mail its
// number. A medium just added is chosen, what was typed stays, the form
// stays saved after the handover, and a medium handed over is never
// chosen for the person again (R-DLV-1 rev., R-DLV-2, R-DLV-3; issue #20).
func TestDeliveryRecipient(t *testing.T) {
	f := newFixture(t)
	u := f.u
	number, es := f.exportedCase()
	es.PwChannel.SetSelected(u.t("channel.phone"))

	ds := u.showDelivery(number)
	u.Wait()
	if !strings.Contains(ds.Named.Text, "Commissariat de Créteil") {
		t.Fatalf("the named recipient is not shown: %q", ds.Named.Text)
	}
	if !ds.Seal.Visible() || ds.Tracking.Visible() {
		t.Fatal("a USB key asks for its seal, not for a registered mail number")
	}
	ds.Name.SetText("Jean Dupont")
	test.Type(ds.Ident, "matricule 4521")
	test.Tap(ds.AddMedium)
	test.Type(f.dialogEntries()[0], "USB-0007")
	f.tapButton(u.t("common.add"))
	if ds.SelectedMedium() != "USB-0007" || ds.Ident.Text != "matricule 4521" || ds.Name.Text != "Jean Dupont" {
		t.Fatalf("after adding a medium: medium %q, identity %q, name %q", ds.MediaSel.Selected, ds.Ident.Text, ds.Name.Text)
	}
	// No seal: refused.
	test.Tap(ds.Deliver)
	u.Wait()
	if ds.Message.Text != u.t("err.delivery.seal_required") {
		t.Fatalf("a key handed over without its seal: %q", ds.Message.Text)
	}
	// Not the named recipient, no organisation: refused.
	test.Type(ds.Seal, "SC-0007")
	test.Tap(ds.Deliver)
	u.Wait()
	if want := u.t("err.delivery.not_recipient", "Name", "Jean Dupont", "Recipient", "Commissariat de Créteil"); ds.Message.Text != want {
		t.Fatalf("handed over to someone else: %q, want %q", ds.Message.Text, want)
	}
	if c := f.caseOf(number); c.State != procedure.StateExported {
		t.Fatalf("state %s after a refused handover", c.State)
	}
	// A person of the named recipient's organisation: accepted.
	test.Type(ds.Org, "Commissariat de Créteil")
	test.Tap(ds.Deliver)
	u.Wait()
	ds = screenAs[*casework.DeliveryScreen](t, u)
	c := f.caseOf(number)
	if c.State != procedure.StateDelivered {
		t.Fatalf("state %s: %s", c.State, ds.Message.Text)
	}
	d := c.Deliveries[0]
	if d.RecipientName != "Jean Dupont" || d.RecipientOrg != "Commissariat de Créteil" || d.Seal != "SC-0007" || d.MediaID != "USB-0007" {
		t.Fatalf("delivery %+v", d)
	}
	if ago := u.now().Sub(d.Date); ago < 0 || ago > procedure.DeliveryClockSkew {
		t.Fatalf("handover dated %s, not when recorded", d.Date)
	}
	if !ds.Deliver.Disabled() || ds.Deliver.Text != u.t("delivery.saved") || ds.Org.Text != "Commissariat de Créteil" {
		t.Fatalf("the form does not stay saved: button %q disabled %v", ds.Deliver.Text, ds.Deliver.Disabled())
	}
	// The form again: the key handed over is not chosen; registered mail
	// asks for its number.
	ds = u.showDelivery(number)
	u.Wait()
	if ds.MediaSel.Selected != "" || len(ds.MediaSel.Options) != 1 {
		t.Fatalf("medium %q chosen among %v", ds.MediaSel.Selected, ds.MediaSel.Options)
	}
	for _, m := range []string{procedure.ModeRegisteredMail, procedure.ModeHand} {
		ds.Mode.SetSelected(u.t("mode." + m))
		if ds.Tracking.Visible() != (m == procedure.ModeRegisteredMail) {
			t.Fatalf("mode %s: registered mail number shown %v", m, ds.Tracking.Visible())
		}
	}
}

// A formal request of the police without a requisition is a reason of its
// own: its detail, no requisition box, and it waits for an authorization
// like any request (R-REQ-1, R-AUTH-2).
func TestWizardPoliceReason(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("o.martin")
	test.Tap(u.nav.item("new"))
	w := screenAs[*casework.WizardScreen](t, u)
	w.SetReason(procedure.ReasonJudicial)
	if !w.RequisitBox.Visible() || slices.Contains(w.Details(), u.t("detail.police")) {
		t.Fatalf("judicial: requisition box %v, details %v", w.RequisitBox.Visible(), w.Details())
	}
	w.SetReason(procedure.ReasonPolice)
	if w.RequisitBox.Visible() || !slices.Equal(w.Details(), []string{u.t("detail.police")}) {
		t.Fatalf("police: requisition box %v, details %v", w.RequisitBox.Visible(), w.Details())
	}
	if !strings.Contains(u.t("title.reason.police"), "sans réquisition") {
		t.Fatalf("title %q", u.t("title.reason.police"))
	}
	number := f.fileRequest(procedure.ReasonPolice, "entree")
	f.confirmCase()
	c := f.caseOf(number)
	if c.Reason != procedure.ReasonPolice || c.Detail != u.t("detail.police") || c.RequisitionRef != "" || c.State != procedure.StateConfirmed {
		t.Fatalf("case %s: reason %s, detail %q, requisition %q", c.State, c.Reason, c.Detail, c.RequisitionRef)
	}
}
