//go:build customenv

package procedure

import (
	"path/filepath"
	"strings"
	"testing"

	"mileo.tech/extract/register"

	"mileo.tech/extract/anonymize"
	"mileo.tech/extract/internal/testmedia"
)

// Full happy path of a data subject's access request with anonymization
// (R-ANON-1): the export goes through the real anonymizer and its
// documentation is recorded in the case (R-ANON-4). Needs OpenCV (build tag
// customenv, as `make test` sets).
func TestHappyPathAccessAnonymized(t *testing.T) {
	e := newE2E(t)
	model := testmedia.Model(t, anonymize.ModelFile)
	t.Setenv("MILEO_MODELS", filepath.Dir(model)) // the final check's models
	c := e.file(ReasonAccess, "entree")
	if _, err := e.s.Cases.Authorize(e.ctx, e.rs, c.Number, "identité vérifiée"); err != nil {
		t.Fatal(err)
	}
	an, err := e.s.Cases.Anonymizer(e.ctx, e.dpo, c.Number, anonymize.Options{ModelPath: model, Reviewer: "dpo.leroy", Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	e.export(e.dpo, c.Number, ExportOptions{Anonymizer: an, Encrypt: true})
	c, err = e.s.Cases.Get(e.ctx, e.dpo, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	ex := c.LastExport()
	if !ex.Anonymized || !ex.Files[0].Reencoded || !ex.Encrypted {
		t.Fatalf("export %+v", ex)
	}
	var d anonymizeData
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
		if c, err = e.s.Cases.Settle(e.ctx, e.dpo, c.Number, p.File, p.Suspect.ID); err != nil {
			t.Fatal(err)
		}
	}
	if !c.LastExport().Verified() {
		t.Fatalf("not verified: %+v", c.LastExport().Unsettled())
	}
	e.verify(register.VerifyOptions{})
}
