package procedure_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"mileo.tech/extract/incident"
	"mileo.tech/extract/papers"
	. "mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/register"
)

// R-REG-1: every operation is an entry: request, confirmation,
// authorization, refusal, incident, login, failed login, settings change,
// media, register export. (Export, encryption, delivery and purge entries
// are checked by the happy paths in e2e_test.go.)
func TestEveryOperationIsAnEntry(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(ReasonInsurance)
	f.Store.Cases.Authorize(f.Ctx, f.RS, c.Number, "")
	c2 := f.NewCase(ReasonIncident)
	f.Store.Cases.Refuse(f.Ctx, f.RS, c2.Number, "hors délai de conservation")
	f.Store.Cases.Close(f.Ctx, f.Op, c2.Number, "")
	f.Store.Login(f.Ctx, "o.martin", "mauvais-Mot-2-passe")
	if err := f.Store.Settings.Set(f.Ctx, f.Admin, "print.language", "fr"); err != nil {
		t.Fatal(err)
	}
	if err := f.Store.Settings.Set(f.Ctx, f.Admin, "nope", "x"); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("unknown setting: %v", err)
	}
	f.Store.Media.Add(f.Ctx, f.Op, "DVD-1", "dvd", "")
	f.Store.Media.Destroy(f.Ctx, f.Op, "DVD-1", "broyeur")
	f.Store.Incidents.Report(f.Ctx, f.Op, c.Number, "porte du local serveur trouvée ouverte")
	papers.New(f.Store).ExportRegister(f.Ctx, f.DPO, "csv", &bytes.Buffer{}, papers.PrintOptions{})
	for _, a := range []string{"register.init", "user.add", "auth.login", "auth.fail", "settings.change", "case.new",
		"case.confirm", "case.authorize", "case.refuse", "case.close", "media.add", "media.destroy", "incident", "register.export"} {
		if f.CountActions(a) == 0 {
			t.Errorf("no %s entry", a)
		}
	}
	st, _ := f.Store.Settings.All(f.Ctx)
	if st["print.language"] != "fr" {
		t.Fatalf("settings %v", st)
	}
	f.Verify(register.VerifyOptions{})
}

// R-REG-6: violations are recorded as incidents in the compliance register.
func TestComplianceRegister(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(ReasonInsurance)
	if err := f.Store.Incidents.Report(f.Ctx, f.Op, c.Number, " "); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("empty incident: %v", err)
	}
	if err := f.Store.Incidents.Report(f.Ctx, f.Op, c.Number, "copie trouvée sur un poste non autorisé"); err != nil {
		t.Fatal(err)
	}
	inc, err := f.Store.Incidents.List(f.Ctx, f.DPO)
	if err != nil || len(inc) != 1 || inc[0].Case != c.Number || inc[0].By != "o.martin" || inc[0].Kind != incident.Other {
		t.Fatalf("incidents %+v %v", inc, err)
	}
	c, _ = f.Store.Cases.Get(f.Ctx, f.Op, c.Number)
	if len(c.Incidents) != 1 {
		t.Fatal("incident not in the case")
	}
}

// Issue #5: a source address's credentials never reach the register, which
// is never erased.
func TestSettingRedactsCredentials(t *testing.T) {
	f := proceduretest.New(t)
	if err := f.Store.Settings.Set(f.Ctx, f.Admin, "vms.address", "mediamtx:http://cam:S3cr3t-pw@10.0.0.5:9996?api=http://cam:S3cr3t-pw@10.0.0.5:9997"); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := papers.New(f.Store).ExportRegister(f.Ctx, f.DPO, "csv", &out, papers.PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	var raw []byte
	files, _ := filepath.Glob(filepath.Join(f.Dir, "*"))
	for _, p := range files {
		b, _ := os.ReadFile(p)
		raw = append(raw, b...)
	}
	if bytes.Contains(out.Bytes(), []byte("S3cr3t-pw")) || bytes.Contains(raw, []byte("S3cr3t-pw")) {
		t.Fatal("the source password is stored in the register")
	}
}
