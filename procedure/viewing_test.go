package procedure_test

import (
	"errors"
	"testing"

	"mileo.tech/extract/account"
	"mileo.tech/extract/papers"
	. "mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/register"
)

// Every viewing is recorded, within a case or for a reason from the closed
// list; a refused case justifies none; the administrator views nothing
// (R-ACC-1).
func TestViewingRules(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(ReasonInsurance)
	refused := f.NewCase(ReasonInsurance)
	if _, err := f.Store.Cases.Refuse(f.Ctx, f.RS, refused.Number, "hors délai"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		sess *account.Session
		v    Viewing
		want error
	}{
		{"no reason", f.Op, Viewing{Camera: "cam1"}, register.ErrInvalid},
		{"a reason not in the list", f.Op, Viewing{Camera: "cam1", Reason: "curiosité"}, register.ErrInvalid},
		{"case and reason", f.Op, Viewing{Camera: "cam1", Case: c.Number, Reason: "incident_check"}, register.ErrInvalid},
		{"no camera", f.Op, Viewing{Reason: "incident_check"}, register.ErrInvalid},
		{"refused case", f.Op, Viewing{Camera: "cam1", Case: refused.Number}, register.ErrNotAuthorized},
		{"administrator", f.Admin, Viewing{Camera: "cam1", Reason: "technical_check"}, register.ErrForbidden},
		{"for a reason", f.Op, Viewing{Camera: "cam1", Reason: "incident_check"}, nil},
		{"within a case", f.RS, Viewing{Camera: "cam2", Case: c.Number}, nil},
	} {
		if err := f.Store.Viewing.Record(f.Ctx, tc.sess, tc.v); !errors.Is(err, tc.want) && !(tc.want == nil && err == nil) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if n := f.CountActions("footage.view"); n != 2 {
		t.Fatalf("%d viewings recorded, want 2", n)
	}
	c, err := f.Store.Cases.Get(f.Ctx, f.DPO, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	if acts := c.Entries[len(c.Entries)-1]; acts.Action != "footage.view" || papers.SummaryIn("fr", acts, f.Store.Location()) == "footage.view" {
		t.Fatalf("the case does not show its viewing: %s", acts.Action)
	}
	f.Verify(register.VerifyOptions{})
}
