package procedure_test

import (
	"errors"
	"testing"
	"time"

	"mileo.tech/extract/account"
	"mileo.tech/extract/incident"
	. "mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/register"
)

// An access request is answered within one month of receipt; an extension
// of one or two months is recorded with its reason and how the person was
// told; a late answer becomes an incident at the next login (R-DL-1).
func TestAccessDeadline(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(ReasonAccess)
	if due := c.AnswerDue(); !due.Equal(c.Received.AddDate(0, 1, 0)) {
		t.Fatalf("due %s, received %s", due, c.Received)
	}
	other := f.NewCase(ReasonInsurance)
	for _, tc := range []struct {
		name         string
		number       string
		months       int
		reason, told string
		sess         *account.Session
		want         error
	}{
		{"three months", c.Number, 3, "complexe", "courriel du 3 mars", f.RS, register.ErrInvalid},
		{"no reason", c.Number, 1, "", "courriel", f.RS, register.ErrInvalid},
		{"person not told", c.Number, 1, "complexe", "", f.RS, register.ErrInvalid},
		{"not an access request", other.Number, 1, "complexe", "courriel", f.RS, register.ErrInvalid},
		{"an operator extends", c.Number, 1, "complexe", "courriel", f.Op, register.ErrForbidden},
	} {
		if _, err := f.Store.Cases.ExtendDeadline(f.Ctx, tc.sess, tc.number, tc.months, tc.reason, tc.told); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	c, err := f.Store.Cases.ExtendDeadline(f.Ctx, f.RS, c.Number, 2, "72 caméras à examiner", "courriel à la personne le 2 mars")
	if err != nil {
		t.Fatal(err)
	}
	if c.Extension == nil || c.Extension.Months != 2 || c.Extension.Note == "" || c.Extension.Told == "" ||
		!c.AnswerDue().Equal(c.Received.AddDate(0, 3, 0)) {
		t.Fatalf("extension %+v, due %s", c.Extension, c.AnswerDue())
	}
	if _, err := f.Store.Cases.ExtendDeadline(f.Ctx, f.RS, c.Number, 1, "encore", "courriel"); !errors.Is(err, register.ErrState) {
		t.Fatalf("extended twice: %v", err)
	}
	// Two months and a half later: still in time.
	f.Clock.Advance(75 * 24 * time.Hour)
	f.Login("o.martin", proceduretest.OpPW)
	if f.CountActions("incident") != 0 {
		t.Fatal("an incident before the extended deadline")
	}
	// After it: one incident, recorded once.
	f.Clock.Advance(30 * 24 * time.Hour)
	f.Login("o.martin", proceduretest.OpPW)
	f.Login("dpo.leroy", proceduretest.DPOPW)
	all, err := f.Store.Incidents.List(f.Ctx, f.Login("rs.bernard", proceduretest.RSPW))
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].Kind != incident.AccessLate || all[0].Case != c.Number || all[0].By != register.SystemActor {
		t.Fatalf("incidents %+v", all)
	}
	f.Verify(register.VerifyOptions{})
}
