package procedure

import (
	"errors"
	"testing"

	"mileo.tech/extract/account"
	"mileo.tech/extract/register"
)

// Incidents have an owner and a status (open, assessed, closed); a
// personal-data breach starts a 72-hour clock for the DPO's decision on
// notifying the CNIL, recorded; a locked account is an incident the
// security manager owns (R-INC-1, R-REG-6).
func TestIncidentLifecycle(t *testing.T) {
	f := newFixture(t)
	c := f.newCase(ReasonInsurance)
	if _, err := f.s.Incidents.ReportBreach(f.ctx, f.op, c.Number, ""); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("a breach without description: %v", err)
	}
	in, err := f.s.Incidents.ReportBreach(f.ctx, f.op, c.Number, "clé USB-0007 perdue entre le magasin et le commissariat")
	if err != nil {
		t.Fatal(err)
	}
	if !in.Breach || in.Owner != register.RoleDPO || in.Status != IncidentOpen || in.DecideBy != in.At.Add(BreachDecisionDelay) {
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
			_, err := f.s.Incidents.Assess(f.ctx, f.rs, in.Seq, "vu", CNILNotRequired)
			return err
		}, register.ErrForbidden},
		{"an operator assesses", func() error { _, err := f.s.Incidents.Assess(f.ctx, f.op, in.Seq, "vu", CNILNotify); return err }, register.ErrForbidden},
		{"no CNIL decision", func() error { _, err := f.s.Incidents.Assess(f.ctx, f.dpo, in.Seq, "vu", ""); return err }, register.ErrInvalid},
		{"closed before assessed", func() error { _, err := f.s.Incidents.Close(f.ctx, f.dpo, in.Seq, "fin"); return err }, register.ErrState},
		{"no note", func() error { _, err := f.s.Incidents.Assess(f.ctx, f.dpo, in.Seq, " ", CNILNotify); return err }, register.ErrInvalid},
		{"unknown incident", func() error { _, err := f.s.Incidents.Assess(f.ctx, f.dpo, 9999, "vu", CNILNotify); return err }, register.ErrNotFound},
	} {
		if err := tc.do(); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if in, err = f.s.Incidents.Assess(f.ctx, f.dpo, in.Seq, "clé chiffrée AES-256, mot de passe remis à part : risque faible", CNILNotRequired); err != nil {
		t.Fatal(err)
	}
	if in.Status != IncidentAssessed || in.CNIL != CNILNotRequired || in.Late(in.At.Add(100*60*60e9)) {
		t.Fatalf("assessed %+v", in)
	}
	if in, err = f.s.Incidents.Close(f.ctx, f.dpo, in.Seq, "clé retrouvée et détruite"); err != nil || in.Status != IncidentClosed {
		t.Fatalf("closed %+v: %v", in, err)
	}
	if _, err := f.s.Incidents.Close(f.ctx, f.dpo, in.Seq, "encore"); !errors.Is(err, register.ErrState) {
		t.Fatalf("closed twice: %v", err)
	}

	// A locked account is the security manager's incident.
	for range account.MaxFailedLogins {
		f.s.Login(f.ctx, "o.martin", "Mauvais-Mot-01!")
	}
	all, err := f.s.Incidents.List(f.ctx, f.rs)
	if err != nil {
		t.Fatal(err)
	}
	last := all[len(all)-1]
	if last.Kind != IncidentAccountLocked || last.Owner != register.RoleSecurityManager || last.Status != IncidentOpen {
		t.Fatalf("lock-out incident %+v", last)
	}
	if _, err := f.s.Incidents.Assess(f.ctx, f.rs, last.Seq, "erreur de frappe de l'opérateur, confirmée par téléphone", ""); err != nil {
		t.Fatal(err)
	}
	f.verify(register.VerifyOptions{})
}

// Footage handed over in an emergency whose authorization is then refused
// opens a second incident, a personal-data breach the DPO owns with its
// 72-hour clock: recall the media, assess the breach (R-AUTH-3 rev.,
// R-INC-1).
func TestEmergencyRefusedAfterDelivery(t *testing.T) {
	e := newE2E(t)
	c := e.file(ReasonIncident, "entree")
	e.export(e.op, c.Number, ExportOptions{Emergency: "agression en cours, police sur place", Encrypt: true})
	e.addMedium("USB-9")
	if _, err := e.s.Delivery.Deliver(e.ctx, e.op, c.Number, DeliverInput{Support: SupportUSB, MediaID: "USB-9", Mode: ModeHand,
		Date: e.clock.Now(), RecipientName: "OPJ Martin", RecipientID: "carte 77", PasswordChannel: "phone"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Cases.Refuse(e.ctx, e.rs, c.Number, "pas de plainte déposée"); err != nil {
		t.Fatal(err)
	}
	all, err := e.s.Incidents.List(e.ctx, e.dpo)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Kind != IncidentExportWithoutAuthorization {
		t.Fatalf("incidents %+v", all)
	}
	b := all[1]
	if b.Kind != IncidentBreach || !b.Breach || b.Owner != register.RoleDPO || b.Case != c.Number || b.DecideBy.IsZero() {
		t.Fatalf("breach %+v", b)
	}
	e.verify(register.VerifyOptions{})
}
