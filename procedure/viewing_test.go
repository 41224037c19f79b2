package procedure

import (
	"errors"
	"testing"

	"mileo.tech/extract/account"
	"mileo.tech/extract/register"
)

// Every viewing is recorded, within a case or for a reason from the closed
// list; a refused case justifies none; the administrator views nothing
// (R-ACC-1).
func TestViewingRules(t *testing.T) {
	f := newFixture(t)
	c := f.newCase(ReasonInsurance)
	refused := f.newCase(ReasonInsurance)
	if _, err := f.s.Cases.Refuse(f.ctx, f.rs, refused.Number, "hors délai"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		sess *account.Session
		v    Viewing
		want error
	}{
		{"no reason", f.op, Viewing{Camera: "cam1"}, register.ErrInvalid},
		{"a reason not in the list", f.op, Viewing{Camera: "cam1", Reason: "curiosité"}, register.ErrInvalid},
		{"case and reason", f.op, Viewing{Camera: "cam1", Case: c.Number, Reason: "incident_check"}, register.ErrInvalid},
		{"no camera", f.op, Viewing{Reason: "incident_check"}, register.ErrInvalid},
		{"refused case", f.op, Viewing{Camera: "cam1", Case: refused.Number}, register.ErrNotAuthorized},
		{"administrator", f.admin, Viewing{Camera: "cam1", Reason: "technical_check"}, register.ErrForbidden},
		{"for a reason", f.op, Viewing{Camera: "cam1", Reason: "incident_check"}, nil},
		{"within a case", f.rs, Viewing{Camera: "cam2", Case: c.Number}, nil},
	} {
		if err := f.s.Viewing.Record(f.ctx, tc.sess, tc.v); !errors.Is(err, tc.want) && !(tc.want == nil && err == nil) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if n := countActions(t, f, "footage.view"); n != 2 {
		t.Fatalf("%d viewings recorded, want 2", n)
	}
	c, err := f.s.Cases.Get(f.ctx, f.dpo, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	if acts := c.Entries[len(c.Entries)-1]; acts.Action != "footage.view" || SummaryIn("fr", acts, f.s.Location()) == "footage.view" {
		t.Fatalf("the case does not show its viewing: %s", acts.Action)
	}
	f.verify(register.VerifyOptions{})
}
