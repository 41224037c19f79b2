package procedure

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"mileo.tech/extract/account"
	"mileo.tech/extract/register"
)

// An access request is answered within one month of receipt; an extension
// of one or two months is recorded with its reason and how the person was
// told; a late answer becomes an incident at the next login (R-DL-1).
func TestAccessDeadline(t *testing.T) {
	f := newFixture(t)
	c := f.newCase(ReasonAccess)
	if due := c.AnswerDue(); !due.Equal(c.Received.AddDate(0, 1, 0)) {
		t.Fatalf("due %s, received %s", due, c.Received)
	}
	other := f.newCase(ReasonInsurance)
	for _, tc := range []struct {
		name         string
		number       string
		months       int
		reason, told string
		sess         *account.Session
		want         error
	}{
		{"three months", c.Number, 3, "complexe", "courriel du 3 mars", f.rs, register.ErrInvalid},
		{"no reason", c.Number, 1, "", "courriel", f.rs, register.ErrInvalid},
		{"person not told", c.Number, 1, "complexe", "", f.rs, register.ErrInvalid},
		{"not an access request", other.Number, 1, "complexe", "courriel", f.rs, register.ErrInvalid},
		{"an operator extends", c.Number, 1, "complexe", "courriel", f.op, register.ErrForbidden},
	} {
		if _, err := f.s.Cases.ExtendDeadline(f.ctx, tc.sess, tc.number, tc.months, tc.reason, tc.told); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	c, err := f.s.Cases.ExtendDeadline(f.ctx, f.rs, c.Number, 2, "72 caméras à examiner", "courriel à la personne le 2 mars")
	if err != nil {
		t.Fatal(err)
	}
	if c.Extension == nil || c.Extension.Months != 2 || c.Extension.Note == "" || c.Extension.Told == "" ||
		!c.AnswerDue().Equal(c.Received.AddDate(0, 3, 0)) {
		t.Fatalf("extension %+v, due %s", c.Extension, c.AnswerDue())
	}
	if _, err := f.s.Cases.ExtendDeadline(f.ctx, f.rs, c.Number, 1, "encore", "courriel"); !errors.Is(err, register.ErrState) {
		t.Fatalf("extended twice: %v", err)
	}
	// Two months and a half later: still in time.
	f.clock.Advance(75 * 24 * time.Hour)
	f.login("o.martin", opPW)
	if countActions(t, f, "incident") != 0 {
		t.Fatal("an incident before the extended deadline")
	}
	// After it: one incident, recorded once.
	f.clock.Advance(30 * 24 * time.Hour)
	f.login("o.martin", opPW)
	f.login("dpo.leroy", dpoPW)
	all, err := f.s.Incidents.List(f.ctx, f.login("rs.bernard", rsPW))
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].Kind != IncidentAccessLate || all[0].Case != c.Number || all[0].By != register.SystemActor {
		t.Fatalf("incidents %+v", all)
	}
	f.verify(register.VerifyOptions{})
}

// A refused access request gets a letter with the reason and the person's
// right to complain to the CNIL (GDPR art. 12(4), R-DL-1); its printing is
// recorded.
func TestRefusalLetter(t *testing.T) {
	f := newFixture(t)
	c := f.newCase(ReasonAccess)
	var b bytes.Buffer
	if err := f.s.Papers.RefusalLetter(f.ctx, f.op, c.Number, &b, PrintOptions{}); !errors.Is(err, register.ErrState) {
		t.Fatalf("letter before any refusal: %v", err)
	}
	if _, err := f.s.Cases.Refuse(f.ctx, f.rs, c.Number, "les images demandées ont été effacées à l'issue du délai de conservation de 30 jours"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Papers.RefusalLetter(f.ctx, f.op, c.Number, &b, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b.Bytes())
	wantText(t, text, c.Number, "Jean Dupont", "effacées à l'issue du délai", "CNIL", "réclamation", "recours juridictionnel", "rs.bernard")
	b.Reset()
	if err := f.s.Papers.RefusalLetter(f.ctx, f.op, c.Number, &b, PrintOptions{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	wantText(t, pdfText(t, b.Bytes()), "lodge a complaint", "judicial remedy")
	if countActions(t, f, "case.print") != 2 {
		t.Fatal("the printing is not recorded")
	}
	f.verify(register.VerifyOptions{})
}
