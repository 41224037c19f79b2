package procedure_test

import (
	"errors"
	"testing"

	"mileo.tech/extract/account"
	"mileo.tech/extract/incident"
	. "mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/register"
)

// Incidents have an owner and a status (open, assessed, closed); a
// personal-data breach starts a 72-hour clock for the DPO's decision on
// notifying the CNIL, recorded; a locked account is an incident the
// security manager owns (R-INC-1, R-REG-6).
func TestIncidentLifecycle(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(ReasonInsurance)
	if _, err := f.Store.Incidents.ReportBreach(f.Ctx, f.Op, c.Number, ""); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("a breach without description: %v", err)
	}
	in, err := f.Store.Incidents.ReportBreach(f.Ctx, f.Op, c.Number, "clé USB-0007 perdue entre le magasin et le commissariat")
	if err != nil {
		t.Fatal(err)
	}
	if !in.Breach || in.Owner != register.RoleDPO || in.Status != incident.Open || in.DecideBy != in.At.Add(incident.BreachDecisionDelay) {
		t.Fatalf("breach %+v", in)
	}
	if in.Late(in.At.Add(71*60*60e9)) || !in.Late(in.At.Add(73*60*60e9)) {
		t.Fatal("the 72-hour clock is wrong")
	}
	for _, tc := range []struct {
		name string
		do   func() error
		want error
	}{
		{"the security manager assesses a breach", func() error {
			_, err := f.Store.Incidents.Assess(f.Ctx, f.RS, in.Seq, "vu", incident.CNILNotRequired)
			return err
		}, register.ErrForbidden},
		{"an operator assesses", func() error {
			_, err := f.Store.Incidents.Assess(f.Ctx, f.Op, in.Seq, "vu", incident.CNILNotify)
			return err
		}, register.ErrForbidden},
		{"no CNIL decision", func() error { _, err := f.Store.Incidents.Assess(f.Ctx, f.DPO, in.Seq, "vu", ""); return err }, register.ErrInvalid},
		{"closed before assessed", func() error { _, err := f.Store.Incidents.Close(f.Ctx, f.DPO, in.Seq, "fin"); return err }, register.ErrState},
		{"no note", func() error {
			_, err := f.Store.Incidents.Assess(f.Ctx, f.DPO, in.Seq, " ", incident.CNILNotify)
			return err
		}, register.ErrInvalid},
		{"unknown incident", func() error {
			_, err := f.Store.Incidents.Assess(f.Ctx, f.DPO, 9999, "vu", incident.CNILNotify)
			return err
		}, register.ErrNotFound},
	} {
		if err := tc.do(); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if in, err = f.Store.Incidents.Assess(f.Ctx, f.DPO, in.Seq, "clé chiffrée AES-256, mot de passe remis à part : risque faible", incident.CNILNotRequired); err != nil {
		t.Fatal(err)
	}
	if in.Status != incident.Assessed || in.CNIL != incident.CNILNotRequired || in.Late(in.At.Add(100*60*60e9)) {
		t.Fatalf("assessed %+v", in)
	}
	if in, err = f.Store.Incidents.Close(f.Ctx, f.DPO, in.Seq, "clé retrouvée et détruite"); err != nil || in.Status != incident.Closed {
		t.Fatalf("closed %+v: %v", in, err)
	}
	if _, err := f.Store.Incidents.Close(f.Ctx, f.DPO, in.Seq, "encore"); !errors.Is(err, register.ErrState) {
		t.Fatalf("closed twice: %v", err)
	}

	// A locked account is the security manager's incident.
	for range account.MaxFailedLogins {
		f.Store.Login(f.Ctx, "o.martin", "Mauvais-Mot-01!")
	}
	all, err := f.Store.Incidents.List(f.Ctx, f.RS)
	if err != nil {
		t.Fatal(err)
	}
	last := all[len(all)-1]
	if last.Kind != incident.AccountLocked || last.Owner != register.RoleSecurityManager || last.Status != incident.Open {
		t.Fatalf("lock-out incident %+v", last)
	}
	if _, err := f.Store.Incidents.Assess(f.Ctx, f.RS, last.Seq, "erreur de frappe de l'opérateur, confirmée par téléphone", ""); err != nil {
		t.Fatal(err)
	}
	f.Verify(register.VerifyOptions{})
}

// Footage handed over in an emergency whose authorization is then refused
// opens a second incident, a personal-data breach the DPO owns with its
// 72-hour clock: recall the media, assess the breach (R-AUTH-3 rev.,
// R-INC-1).
func TestEmergencyRefusedAfterDelivery(t *testing.T) {
	e := proceduretest.NewE2E(t)
	c := e.File(ReasonIncident, "entree")
	e.Export(e.Op, c.Number, ExportOptions{Emergency: "agression en cours, police sur place", Encrypt: true})
	e.AddMedium("USB-9")
	if _, err := e.Store.Delivery.Deliver(e.Ctx, e.Op, c.Number, DeliverInput{Support: SupportUSB, Seal: "S-0001", MediaID: "USB-9", Mode: ModeHand,
		Date: e.Clock.Now(), RecipientName: "Chef de poste", RecipientID: "badge 77", RecipientOrg: "Service sécurité interne", PasswordChannel: "phone"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.Cases.Refuse(e.Ctx, e.RS, c.Number, "pas de plainte déposée"); err != nil {
		t.Fatal(err)
	}
	all, err := e.Store.Incidents.List(e.Ctx, e.DPO)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Kind != incident.ExportWithoutAuthorization {
		t.Fatalf("incidents %+v", all)
	}
	b := all[1]
	if b.Kind != incident.Breach || !b.Breach || b.Owner != register.RoleDPO || b.Case != c.Number || b.DecideBy.IsZero() {
		t.Fatalf("breach %+v", b)
	}
	e.Verify(register.VerifyOptions{})
}
