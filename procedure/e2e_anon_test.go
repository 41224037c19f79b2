//go:build customenv

package procedure

import (
	"mileo.tech/extract/register"
	"testing"

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
	an, err := anonymize.New(anonymize.Options{ModelPath: model, Reviewer: "dpo.leroy", Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	c := e.file(ReasonAccess, "entree")
	if _, err := e.s.Cases.Authorize(e.ctx, e.rs, c.Number, "identité vérifiée"); err != nil {
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
	e.verify(register.VerifyOptions{})
}
