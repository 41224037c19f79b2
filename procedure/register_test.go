package procedure

import (
	"bytes"
	"encoding/csv"
	"errors"
	"mileo.tech/extract/register"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// R-REG-1: every operation is an entry: request, confirmation,
// authorization, refusal, incident, login, failed login, settings change,
// media, register export. (Export, encryption, delivery and purge entries
// are checked by the happy paths in e2e_test.go.)
func TestEveryOperationIsAnEntry(t *testing.T) {
	f := newFixture(t)
	c := f.newCase(ReasonInsurance)
	f.s.Cases.Authorize(f.ctx, f.rs, c.Number, "")
	c2 := f.newCase(ReasonIncident)
	f.s.Cases.Refuse(f.ctx, f.rs, c2.Number, "hors délai de conservation")
	f.s.Cases.Close(f.ctx, f.op, c2.Number, "")
	f.s.Login(f.ctx, "o.martin", "mauvais-Mot-2-passe")
	if err := f.s.Settings.Set(f.ctx, f.admin, "print.language", "fr"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Settings.Set(f.ctx, f.admin, "nope", "x"); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("unknown setting: %v", err)
	}
	f.s.Media.Add(f.ctx, f.op, "DVD-1", "dvd", "")
	f.s.Media.Destroy(f.ctx, f.op, "DVD-1", "broyeur")
	f.s.Incidents.Report(f.ctx, f.op, c.Number, "porte du local serveur trouvée ouverte")
	f.s.Papers.ExportRegister(f.ctx, f.dpo, "csv", &bytes.Buffer{}, PrintOptions{})
	for _, a := range []string{"register.init", "user.add", "auth.login", "auth.fail", "settings.change", "case.new",
		"case.confirm", "case.authorize", "case.refuse", "case.close", "media.add", "media.destroy", "incident", "register.export"} {
		if countActions(t, f, a) == 0 {
			t.Errorf("no %s entry", a)
		}
	}
	st, _ := f.s.Settings.All(f.ctx)
	if st["print.language"] != "fr" {
		t.Fatalf("settings %v", st)
	}
	f.verify(register.VerifyOptions{})
}

// R-REG-3: the register sheet of a case is an A4 PDF with its entries, the
// signed checkpoint and the signature blocks of the operator and of the
// authorizer; accents survive.
func TestSheetPDF(t *testing.T) {
	f := newFixture(t)
	c := f.newCase(ReasonInsurance)
	if _, err := f.s.Cases.Authorize(f.ctx, f.rs, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f.s.Papers.Sheet(f.ctx, f.op, c.Number, &b, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b.Bytes())
	cp, _ := f.s.LatestCheckpoint(f.ctx)
	vk, _ := f.s.VerifierKey()
	wantText(t, text, c.Number, "o.martin", "rs.bernard", "Opérateur", "Responsable Sécurité",
		"mileo-extract register", cp.HashHex()[:16], "Entrepôt Sud — Créteil", "Vol signalé à l'accueil", "Brigadier Léa Durand",
		vk[:20])
	if countActions(t, f, "case.print") != 1 {
		t.Fatal("printing not recorded")
	}
	if err := f.s.Papers.Sheet(f.ctx, f.admin, c.Number, &b, PrintOptions{}); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("admin printed a case: %v", err)
	}
	// The printed checkpoint (with its key line) verifies the register.
	i := strings.Index(text, "mileo-extract register")
	if i < 0 {
		t.Fatal("no checkpoint text")
	}
	f.verify(register.VerifyOptions{Checkpoints: [][]byte{[]byte(cp.Note)}, SiteKey: vk})
	if _, err := f.s.Verify(f.ctx, register.VerifyOptions{SiteKey: "mileo-extract-00000000+00000000+AQ=="}); !errors.Is(err, register.ErrTampered) {
		t.Fatalf("verify with another site key: %v", err)
	}
}

// R-REG-4: personal data are kept for the retention period, never erased
// before; after it the DPO erases them and the chain still verifies.
func TestRetentionErasure(t *testing.T) {
	f := newFixture(t)
	c := f.newCase(ReasonAccess)
	if n, err := f.s.Purges.ErasePersonal(f.ctx, f.dpo); err != nil || n != 0 {
		t.Fatalf("erased %d before the date: %v", n, err)
	}
	if _, err := f.s.Purges.ErasePersonal(f.ctx, f.admin); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("admin erased: %v", err)
	}
	f.clock.Advance(4 * 365 * 24 * time.Hour)
	if n, _ := f.s.Purges.ErasePersonal(f.ctx, f.dpo); n != 0 {
		t.Fatalf("erased %d after 4 years", n)
	}
	f.clock.Advance(366 * 24 * time.Hour)
	dpo := f.login("dpo.leroy", dpoPW)
	n, err := f.s.Purges.ErasePersonal(f.ctx, dpo)
	if err != nil || n != 2 {
		t.Fatalf("erased %d after 5 years: %v", n, err)
	}
	rep := f.verify(register.VerifyOptions{})
	if rep.PersonalErased != 2 {
		t.Fatalf("report %+v", rep)
	}
	c, err = f.s.Cases.Get(f.ctx, dpo, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	if !c.PersonalErased || c.Requester.Name != "" || c.Identity != nil || c.Reason != ReasonAccess || len(c.Cameras) != 2 {
		t.Fatalf("case after erasure %+v", c)
	}
	var b bytes.Buffer
	if err := f.s.Papers.Sheet(f.ctx, dpo, c.Number, &b, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b.Bytes())
	wantText(t, text, c.Number, "effacé en fin de conservation")
	if strings.Contains(text, "Jean Dupont") {
		t.Fatal("erased name printed")
	}
	// Nor does it stay on disk, in free pages or in the write-ahead log
	// (R-REG-4, R-RET-1; issue 16).
	for _, name := range []string{register.DBName, register.DBName + "-wal"} {
		b, err := os.ReadFile(filepath.Join(f.dir, name))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("Jean Dupont")) {
			t.Errorf("the erased name is still in %s", name)
		}
	}
}

// R-REG-5: the DPO reads and exports the whole register (PDF, CSV); each
// export is an entry of the GDPR art. 30 record.
func TestRegisterExport(t *testing.T) {
	f := newFixture(t)
	c := f.newCase(ReasonJudicial)
	var csvOut, pdfOut bytes.Buffer
	if err := f.s.Papers.ExportRegister(f.ctx, f.dpo, "csv", &csvOut, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Papers.ExportRegister(f.ctx, f.dpo, "pdf", &pdfOut, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Papers.ExportRegister(f.ctx, f.op, "pdf", &pdfOut, PrintOptions{}); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("operator exported the register: %v", err)
	}
	if err := f.s.Papers.ExportRegister(f.ctx, f.dpo, "xml", &pdfOut, PrintOptions{}); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("xml: %v", err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(csvOut.Bytes(), []byte("\ufeff"))))
	r.Comma = ';'
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Header, then every entry up to and including the first export's own.
	if len(rows) < 10 || !strings.Contains(strings.Join(rows[len(rows)-1], ";"), "register.export") {
		t.Fatalf("csv: %d rows, last %v", len(rows), rows[len(rows)-1])
	}
	wantText(t, pdfText(t, pdfOut.Bytes()), c.Number, "register.export")
	if !strings.Contains(rows[len(rows)-1][6], "art. 30") {
		t.Fatalf("last row %v", rows[len(rows)-1])
	}
	if countActions(t, f, "register.export") != 2 {
		t.Fatal("register exports not recorded")
	}
	// The DPO lists every entry on screen; an operator may not.
	all, err := f.s.Papers.Entries(f.ctx, f.dpo)
	if err != nil || len(all) < 10 || all[len(all)-1].Action != "register.export" || all[len(all)-1].Seq-all[0].Seq != int64(len(all)-1) {
		t.Fatalf("Entries: %d entries, %v", len(all), err)
	}
	if _, err := f.s.Papers.Entries(f.ctx, f.op); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("operator listed the whole register: %v", err)
	}
}

// R-REG-6: violations are recorded as incidents in the compliance register.
func TestComplianceRegister(t *testing.T) {
	f := newFixture(t)
	c := f.newCase(ReasonInsurance)
	if err := f.s.Incidents.Report(f.ctx, f.op, c.Number, " "); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("empty incident: %v", err)
	}
	if err := f.s.Incidents.Report(f.ctx, f.op, c.Number, "copie trouvée sur un poste non autorisé"); err != nil {
		t.Fatal(err)
	}
	inc, err := f.s.Incidents.List(f.ctx, f.dpo)
	if err != nil || len(inc) != 1 || inc[0].Case != c.Number || inc[0].By != "o.martin" || inc[0].Kind != IncidentOther {
		t.Fatalf("incidents %+v %v", inc, err)
	}
	c, _ = f.s.Cases.Get(f.ctx, f.op, c.Number)
	if len(c.Incidents) != 1 {
		t.Fatal("incident not in the case")
	}
}

// Issue #5: a source address's credentials never reach the register, which
// is never erased.
func TestSettingRedactsCredentials(t *testing.T) {
	f := newFixture(t)
	if err := f.s.Settings.Set(f.ctx, f.admin, "vms.address", "mediamtx:http://cam:S3cr3t-pw@10.0.0.5:9996?api=http://cam:S3cr3t-pw@10.0.0.5:9997"); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := f.s.Papers.ExportRegister(f.ctx, f.dpo, "csv", &out, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	var raw []byte
	files, _ := filepath.Glob(filepath.Join(f.dir, "*"))
	for _, p := range files {
		b, _ := os.ReadFile(p)
		raw = append(raw, b...)
	}
	if bytes.Contains(out.Bytes(), []byte("S3cr3t-pw")) || bytes.Contains(raw, []byte("S3cr3t-pw")) {
		t.Fatal("the source password is stored in the register")
	}
}

// An insider who moves a document's retention date earlier in the
// database does not get it erased early by the DPO's routine erasure, and
// verify names the change (R-REG-4, R-RET-1; issue 16).
func TestMovedRetentionDate(t *testing.T) {
	f := newFixture(t)
	c := f.newCase(ReasonJudicial)
	if _, err := f.s.Delivery.AttachRequisition(f.ctx, f.op, c.Number, "réquisition.png", scanPNG(t, 0x40)); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, f.dir)
	if _, err := db.Exec(`DROP TRIGGER attachments_erase_only`); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, `UPDATE attachments SET until = ?`, register.FormatTime(t0))
	mustExec(t, db, `UPDATE personal SET until = ?`, register.FormatTime(t0))
	f.clock.Advance(365 * 24 * time.Hour)
	dpo := f.login("dpo.leroy", dpoPW)
	if n, err := f.s.Purges.ErasePersonal(f.ctx, dpo); err != nil || n != 0 {
		t.Fatalf("erased %d items one year after: %v", n, err)
	}
	var erased int
	if err := db.QueryRow(`SELECT COUNT(*) FROM attachments WHERE data IS NULL`).Scan(&erased); err != nil || erased != 0 {
		t.Fatalf("%d attachments erased: %v", erased, err)
	}
	_, err := f.s.Verify(f.ctx, register.VerifyOptions{})
	if !errors.Is(err, register.ErrTampered) || !strings.Contains(err.Error(), "retention date") {
		t.Fatalf("verify after the change: %v", err)
	}
}
