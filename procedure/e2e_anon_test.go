//go:build customenv

package procedure_test

import (
	"path/filepath"
	"strings"
	"testing"

	"mileo.tech/extract/anonymize"
	"mileo.tech/extract/export"
	"mileo.tech/extract/internal/testmedia"
	. "mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/redaction"
	"mileo.tech/extract/register"
)

// Full happy path of a data subject's access request with anonymization
// (R-ANON-1): the export goes through the real anonymizer and its
// documentation is recorded in the case (R-ANON-4). Needs OpenCV (build tag
// customenv, as `make test` sets).
func TestHappyPathAccessAnonymized(t *testing.T) {
	e := proceduretest.NewE2E(t)
	model := testmedia.Model(t, anonymize.ModelFile)
	t.Setenv("MILEO_MODELS", filepath.Dir(model)) // the final check's models
	c := e.File(ReasonAccess, "entree")
	if _, err := e.Store.Cases.Authorize(e.Ctx, e.RS, c.Number, "identité vérifiée"); err != nil {
		t.Fatal(err)
	}
	an, err := redaction.New(e.Store).Anonymizer(e.Ctx, e.DPO, c.Number, anonymize.Options{ModelPath: model, Reviewer: "dpo.leroy", Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	e.Export(e.DPO, c.Number, ExportOptions{Anonymizer: an, Encrypt: true})
	c, err = e.Store.Cases.Get(e.Ctx, e.DPO, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	ex := c.LastExport()
	if !ex.Anonymized || !ex.Files[0].Reencoded || !ex.Encrypted {
		t.Fatalf("export %+v", ex)
	}
	var d struct { // the data of a case.anonymize entry (SPEC.md)
		Document *export.Anonymization `json:"document"`
	}
	found := false
	for _, en := range c.Entries {
		if en.Action == "case.anonymize" {
			found = en.Decode(&d) == nil
		}
	}
	if !found || d.Document == nil || d.Document.Detector == "" || d.Document.Reviewer != "dpo.leroy" {
		t.Fatalf("anonymization not documented: %+v", d.Document)
	}
	// R-ANON-2 (rev.): the independent final check ran on the rendered
	// file; whatever it lists is settled by a person before the handover.
	if fc := d.Document.Check; fc == nil || fc.Error != "" || fc.Analysed == 0 || !strings.Contains(fc.Checker, "person") {
		t.Fatalf("final check: %+v", fc)
	}
	t.Logf("final check: %d suspects", len(d.Document.Check.Suspects))
	for _, p := range ex.Unsettled() {
		if p.Suspect == nil {
			t.Fatalf("pending without suspect: %+v", p)
		}
		if c, err = e.Store.Cases.Settle(e.Ctx, e.DPO, c.Number, p.File, p.Suspect.ID); err != nil {
			t.Fatal(err)
		}
	}
	if !c.LastExport().Verified() {
		t.Fatalf("not verified: %+v", c.LastExport().Unsettled())
	}
	e.Verify(register.VerifyOptions{})
}
