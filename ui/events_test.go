package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"mileo.tech/extract/procedure"
	"mileo.tech/extract/ui/incidents"
	"mileo.tech/extract/ui/settings"
)

// R-DL-1: the security manager extends an access request's deadline from
// the case, with its reason and how the person was told; the extension is
// offered once. R-PRG-2 (rev.): a judicial case records the closing of the
// judicial procedure from its screen. R-REG-5 (rev.): the DPO states the
// art. 30 record in the settings. R-INC-1: the incidents screen is in the
// navigation.
func TestCaseEventsAndRecordInWindow(t *testing.T) {
	f := newFixture(t)
	u := f.u
	f.login("o.martin")
	access := f.fileRequest(procedure.ReasonAccess, "entree")
	f.confirmCase()

	f.login("rs.bernard")
	cs := u.showCase(access)
	u.Wait()
	b := cs.Actions[string(procedure.ActExtend)]
	if b == nil || b.Disabled() {
		t.Fatal("no « Prolonger le délai » for the security manager")
	}
	test.Tap(b)
	es := f.dialogEntries()
	if len(es) != 2 {
		t.Fatalf("%d entries in the extension dialog", len(es))
	}
	test.Type(es[0], "images nombreuses sur trois caméras")
	test.Type(es[1], "courriel du 2 décembre")
	f.tapButton(u.t("action.extend"))
	u.Wait()
	c := f.caseOf(access)
	if c.Extension == nil || c.Extension.Months != 1 || c.Extension.Note != "images nombreuses sur trois caméras" {
		t.Fatalf("extension %+v", c.Extension)
	}
	cs = u.showCase(access)
	u.Wait()
	if b := cs.Actions[string(procedure.ActExtend)]; b == nil || !b.Disabled() {
		t.Fatal("the extension is offered twice")
	}
	if b := cs.Actions[string(procedure.ActAnswerLetter)]; b == nil || !b.Disabled() {
		t.Fatal("the answer letter is offered before any export")
	}

	f.login("o.martin")
	judicial := f.fileRequest(procedure.ReasonJudicial, "entree")
	cs = u.showCase(judicial)
	u.Wait()
	b = cs.Actions[string(procedure.ActJudicialClosed)]
	if b == nil || b.Disabled() {
		t.Fatal("no « Procédure judiciaire close » on a judicial case")
	}
	test.Tap(b)
	es = f.dialogEntries()
	test.Type(es[len(es)-1], "avis de classement du parquet, 3 décembre")
	f.tapButton(u.t("action.judicial_closed"))
	u.Wait()
	if c := f.caseOf(judicial); c.JudicialClosed == nil || c.JudicialClosed.Note != "avis de classement du parquet, 3 décembre" {
		t.Fatalf("judicial closing %+v", c.JudicialClosed)
	}

	// The incidents screen, from the navigation.
	test.Tap(u.nav.item("incidents"))
	u.Wait()
	screenAs[*incidents.Screen](t, u)

	// The DPO states the art. 30 record.
	f.login("dpo.leroy")
	test.Tap(u.nav.item("settings"))
	s := screenAs[*settings.Screen](t, u)
	if s.Record == nil {
		t.Fatal("no art. 30 record in the DPO's settings")
	}
	test.Type(s.Record["art30.dpo"], "dpo@entrepot-sud.example")
	test.Tap(s.SaveRecord)
	u.Wait()
	rec, err := f.store.Settings.Record(context.Background(), "fr")
	if err != nil || rec.Default["art30.dpo"] || rec.Get("art30.dpo") != "dpo@entrepot-sud.example" {
		t.Fatalf("record %+v %v (%q)", rec, err, s.RecordMsg.Text)
	}
	if !strings.Contains(s.RecordMsg.Text, "1 rubrique") {
		t.Fatalf("message %q", s.RecordMsg.Text)
	}
}
