package procedure

import (
	"bytes"
	"errors"
	"mileo.tech/extract/account"
	"mileo.tech/extract/register"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/internal/demo/demotest"
	"mileo.tech/extract/vms"
	"mileo.tech/extract/vms/connect"
)

// e2e prepares a fixture whose requests target the demo archive.
type e2e struct {
	*fixture
	src vms.Source
}

// demoStart is the first instant of the shared demo archive.
var demoStart = demotest.Start

func newE2E(t *testing.T) *e2e {
	if testing.Short() {
		t.Skip("exports from the demo archive are skipped with -short")
	}
	dir := demotest.Archive(t)
	f := newFixture(t)
	// The requests are received the day after the footage.
	f.clock.Advance(demoStart.Add(26 * time.Hour).Sub(f.clock.Now()))
	src, err := connect.Open(f.ctx, "folder:"+dir)
	if err != nil {
		t.Fatal(err)
	}
	return &e2e{fixture: f, src: src}
}

// request about the demo archive: 60 s to 120 s, which holds the 30 s gap
// of camera "caisses" when it is asked for.
func (e *e2e) demoRequest(reason Reason, cams ...string) Request {
	r := e.request(reason)
	r.Range = vms.Range{Start: demoStart.Add(60 * time.Second), End: demoStart.Add(80 * time.Second)}
	r.Received = e.clock.Now().Add(-time.Hour)
	r.Cameras = cams
	return r
}

func (e *e2e) file(reason Reason, cams ...string) *Case {
	e.t.Helper()
	c, err := e.s.Cases.New(e.ctx, e.op, e.demoRequest(reason, cams...))
	if err != nil {
		e.t.Fatal(err)
	}
	c, err = e.s.Cases.Confirm(e.ctx, e.op, c.Number, ConfirmInput{How: "téléphone", With: "le demandeur"})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *e2e) export(sess *account.Session, number string, opt ExportOptions) (string, []string) {
	e.t.Helper()
	if opt.OutDir == "" {
		opt.OutDir = filepath.Join(e.t.TempDir(), "export")
	}
	opt.Source = e.src
	res, err := e.s.Cases.Export(e.ctx, sess, number, opt)
	if err != nil && res == nil {
		e.t.Fatalf("export %s: %v", number, err)
	}
	var gaps []string
	for _, g := range res.Gaps {
		gaps = append(gaps, g.Camera)
	}
	return res.Password, gaps
}

func (e *e2e) addMedium(id string) {
	e.t.Helper()
	if _, err := e.s.Media.Add(e.ctx, e.op, id, "usb", "clé scellée"); err != nil {
		e.t.Fatal(err)
	}
}

// pdfText renders a PDF with pdftoppm (it must render) and returns its
// text read by pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(p, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "30", "-png", p, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	if len(pages) == 0 {
		t.Fatal("pdftoppm rendered no page")
	}
	out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func wantText(t *testing.T, text string, want ...string) {
	t.Helper()
	flat := strings.Join(strings.Fields(text), " ")
	for _, w := range want {
		if !strings.Contains(flat, w) {
			t.Errorf("document lacks %q", w)
		}
	}
	if t.Failed() {
		t.Logf("text:\n%s", text)
	}
}

// Full happy path of a judicial requisition (R-AUTH-2, R-DLV-1, R-DLV-2,
// R-ENC-2, R-REG-3, R-PRG-2).
func TestHappyPathJudicial(t *testing.T) {
	e := newE2E(t)
	c := e.file(ReasonJudicial, "entree")
	if c.State != StateAuthorized || len(c.Tasks()) != 1 {
		t.Fatalf("requisition: %s %v", c.State, c.Tasks())
	}
	if _, err := e.s.Cases.Acknowledge(e.ctx, e.rs, c.Number); err != nil {
		t.Fatal(err)
	}
	// R-AUTH-2 (rev.): the typed reference alone authorizes nothing.
	if _, err := e.s.Cases.Export(e.ctx, e.op, c.Number, ExportOptions{Source: e.src, OutDir: filepath.Join(t.TempDir(), "x"), Encrypt: true}); !errors.Is(err, register.ErrNotAuthorized) {
		t.Fatalf("export before the requisition is attached: %v", err)
	}
	if _, err := e.s.Delivery.AttachRequisition(e.ctx, e.op, c.Number, "réquisition.png", scanPNG(t, 0x30)); err != nil {
		t.Fatal(err)
	}
	pw, gaps := e.export(e.op, c.Number, ExportOptions{Encrypt: true})
	if len(pw) < 16 || len(gaps) != 0 {
		t.Fatalf("password %d chars, gaps %v", len(pw), gaps)
	}
	c, _ = e.s.Cases.Get(e.ctx, e.op, c.Number)
	ex := c.LastExport()
	if c.State != StateExported || ex == nil || !ex.Encrypted || !ex.Complete || len(ex.Files) != 1 || ex.Files[0].SHA256 == "" {
		t.Fatalf("export Record %+v", ex)
	}
	e.addMedium("USB-007")
	var label bytes.Buffer
	if err := e.s.Papers.Label(e.ctx, e.op, c.Number, "USB-007", &label, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	wantText(t, pdfText(t, label.Bytes()), c.Number, "USB-007", "CONFIDENTIEL")
	if strings.Contains(pdfText(t, label.Bytes()), pw) {
		t.Fatal("the label carries the password")
	}
	c, err := e.s.Delivery.Deliver(e.ctx, e.op, c.Number, DeliverInput{Support: SupportUSB, MediaID: "USB-007", Mode: ModeHand,
		Date: e.clock.Now(), RecipientName: "Brigadier Léa Durand", RecipientID: "matricule 123456", PasswordChannel: "phone"})
	if err != nil {
		t.Fatal(err)
	}
	d := c.Deliveries[0]
	if c.State != StateDelivered || d.FileChannel != "hand" || d.PasswordChannel != "phone" || d.RecipientID != "matricule 123456" {
		t.Fatalf("delivery %+v", d)
	}
	var receipt bytes.Buffer
	if err := e.s.Papers.Receipt(e.ctx, e.op, c.Number, &receipt, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	wantText(t, pdfText(t, receipt.Bytes()), c.Number, "Brigadier Léa Durand", "matricule 123456", "entree", "mileo-extract register")
	scan := []byte("%PDF-1.4 scan of the signed receipt")
	a, err := e.s.Delivery.AttachReceipt(e.ctx, e.op, c.Number, "/tmp/scan-récépissé.pdf", scan)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := e.s.Delivery.AttachmentData(e.ctx, e.rs, a.SHA256); err != nil || !bytes.Equal(got, scan) {
		t.Fatalf("attachment: %v", err)
	}
	// Closing the judicial procedure makes the copies due at once.
	if c, err = e.s.Cases.Close(e.ctx, e.op, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	due, err := e.s.Purges.Due(e.ctx, e.admin)
	if err != nil || len(due) != 1 || !due[0].Deadline.Equal(c.Closed.At) {
		t.Fatalf("due %+v %v", due, err)
	}
	if _, err := e.s.Purges.Files(e.ctx, e.op, due[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(ex.OutDir); !os.IsNotExist(err) {
		t.Fatalf("export folder still there: %v", err)
	}
	var sheetPDF bytes.Buffer
	if err := e.s.Papers.Sheet(e.ctx, e.rs, c.Number, &sheetPDF, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, sheetPDF.Bytes())
	wantText(t, text, c.Number, "o.martin", "rs.bernard", "PV 2026/00123", "mileo-extract register", "Entrepôt Sud — Créteil", "Léa Durand", "Commissariat de Créteil")
	rep := e.verify(register.VerifyOptions{})
	if rep.Checkpoints == 0 {
		t.Fatal("no checkpoint checked")
	}
}

// Full happy path of a security incident, internal export with a gap, and
// the 48 h purge deadline (R-EXP-3 gaps recorded, R-PRG-1, R-PRG-2,
// R-PRG-3, R-REG-6).
func TestHappyPathIncident(t *testing.T) {
	e := newE2E(t)
	c := e.file(ReasonIncident, "caisses", "parking")
	if _, err := e.s.Cases.Authorize(e.ctx, e.del, c.Number, "enquête interne"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "export")
	_, gaps := e.export(e.op, c.Number, ExportOptions{OutDir: out, Encrypt: true})
	if strings.Join(gaps, ",") != "caisses" {
		t.Fatalf("gaps %v", gaps)
	}
	c, _ = e.s.Cases.Get(e.ctx, e.op, c.Number)
	ex := c.LastExport()
	if ex.Complete || len(ex.Gaps) != 1 || !ex.Encrypted {
		t.Fatalf("export %+v", ex)
	}
	if countActions(t, e.fixture, "case.gaps") != 1 {
		t.Fatal("gaps not recorded")
	}
	// R-PRG-1: the export folder was tracked from its creation, due 48 h
	// after an internal export.
	cs, err := e.s.Purges.Copies(e.ctx, e.op)
	if err != nil || len(cs) != 1 || cs[0].Location != out || cs[0].Deadline.Sub(cs[0].Created).Round(time.Second) != InternalPurgeDelay {
		t.Fatalf("copies %+v %v", cs, err)
	}
	e.addMedium("USB-100")
	if _, err := e.s.Delivery.Deliver(e.ctx, e.op, c.Number, DeliverInput{Support: SupportUSB, MediaID: "USB-100", Mode: ModeHand,
		Date: e.clock.Now(), RecipientName: "Responsable sûreté", RecipientID: "badge 42", PasswordChannel: "phone"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Cases.Close(e.ctx, e.op, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	// R-PRG-2: overdue after 48 h, shown to everyone, one incident.
	e.clock.Advance(49 * time.Hour)
	for _, s := range []*account.Session{e.admin, e.op, e.dpo} {
		due, err := e.s.Purges.Due(e.ctx, s)
		if err != nil || len(due) != 1 || !due[0].Overdue(e.clock.Now()) || due[0].Incident == 0 {
			t.Fatalf("due for %s: %+v %v", s.User, due, err)
		}
	}
	inc, _ := e.s.Incidents.List(e.ctx, e.dpo)
	if len(inc) != 1 || inc[0].Kind != IncidentPurgeOverdue || inc[0].Case != c.Number {
		t.Fatalf("incidents %+v", inc)
	}
	// R-PRG-3: the person who purged declares it.
	if _, err := e.s.Purges.Declare(e.ctx, e.op, cs[0].ID, "shred"); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("unknown method: %v", err)
	}
	p, err := e.s.Purges.Declare(e.ctx, e.op, cs[0].ID, PurgeOverwrite)
	if err != nil || p.Purge.By != "o.martin" || !p.Purge.Declared {
		t.Fatalf("declare: %+v %v", p, err)
	}
	if _, err := e.s.Purges.Declare(e.ctx, e.op, cs[0].ID, PurgeOverwrite); !errors.Is(err, register.ErrState) {
		t.Fatalf("second purge: %v", err)
	}
	e.verify(register.VerifyOptions{})
}

// Full happy path of an insurance claim, with the password checks of
// R-ENC-2 and the refused delivery modes of R-DLV-2.
func TestHappyPathInsurance(t *testing.T) {
	e := newE2E(t)
	c := e.file(ReasonInsurance, "entree", "parking")
	if _, err := e.s.Cases.Authorize(e.ctx, e.rs, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	pw, _ := e.export(e.op, c.Number, ExportOptions{Encrypt: true})
	// The password sheet carries the password; its printing is recorded
	// without it.
	var pwSheet bytes.Buffer
	if err := e.s.Papers.PasswordSheet(e.ctx, e.op, c.Number, pw, "sms", &pwSheet, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	wantText(t, pdfText(t, pwSheet.Bytes()), c.Number, pw)
	in := DeliverInput{Support: SupportPlatform, Mode: ModePlatform, Date: e.clock.Now(),
		RecipientName: "Cabinet d'expertise", RecipientID: "dossier 42", PasswordChannel: "platform"}
	// R-ENC-2: the same channel twice is refused and becomes an incident.
	if _, err := e.s.Delivery.Deliver(e.ctx, e.op, c.Number, in); !errors.Is(err, register.ErrSameChannel) {
		t.Fatalf("same channel: %v", err)
	}
	// R-DLV-2: personal media and unapproved cloud shares are refused.
	for _, bad := range []DeliverInput{
		{Support: "personal_usb", Mode: ModeHand, Date: in.Date, RecipientName: "x", RecipientID: "y"},
		{Support: SupportPlatform, Mode: "cloud", Date: in.Date, RecipientName: "x", RecipientID: "y"},
		{Support: SupportPlatform, Mode: ModePlatform, FileChannel: "email", Date: in.Date, RecipientName: "x", RecipientID: "y"},
	} {
		if _, err := e.s.Delivery.Deliver(e.ctx, e.op, c.Number, bad); !errors.Is(err, register.ErrForbiddenMode) {
			t.Fatalf("forbidden delivery %+v: %v", bad, err)
		}
	}
	inc, _ := e.s.Incidents.List(e.ctx, e.rs)
	kinds := map[string]int{}
	for _, i := range inc {
		kinds[i.Kind]++
	}
	if kinds[IncidentSameChannel] != 1 || kinds[IncidentForbiddenDelivery] != 3 {
		t.Fatalf("incidents %v", kinds)
	}
	// The USB support needs a medium of the inventory.
	if _, err := e.s.Delivery.Deliver(e.ctx, e.op, c.Number, DeliverInput{Support: SupportUSB, Mode: ModeHand, Date: in.Date,
		RecipientName: "x", RecipientID: "y", PasswordChannel: "phone"}); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("usb without medium: %v", err)
	}
	in.PasswordChannel = "sms"
	c, err := e.s.Delivery.Deliver(e.ctx, e.op, c.Number, in)
	if err != nil {
		t.Fatal(err)
	}
	if c.State != StateDelivered || c.Deliveries[0].PasswordChannel != "sms" || c.Deliveries[0].FileChannel != "platform" {
		t.Fatalf("delivery %+v", c.Deliveries)
	}
	if _, err := e.s.Cases.Close(e.ctx, e.op, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	// R-ENC-2: the password was shown once and never written to disk.
	e.s.Close()
	for _, n := range []string{register.DBName, register.DBName + "-wal"} {
		b, _ := os.ReadFile(filepath.Join(e.dir, n))
		if bytes.Contains(b, []byte(pw)) {
			t.Fatalf("password found in %s", n)
		}
	}
	e.s = openStore(t, e.dir, e.clock)
	e.verify(register.VerifyOptions{})
}

// Full happy path of a data subject's access request viewed on site
// (R-ANON-1 on-site exception, R-REQ-3).
func TestHappyPathAccessOnSite(t *testing.T) {
	e := newE2E(t)
	c := e.file(ReasonAccess, "entree")
	if _, err := e.s.Cases.Authorize(e.ctx, e.rs, c.Number, "identité vérifiée"); err != nil {
		t.Fatal(err)
	}
	_, err := e.s.Cases.Export(e.ctx, e.dpo, c.Number, ExportOptions{Source: e.src, OutDir: t.TempDir()})
	if !errors.Is(err, register.ErrNeedsAnonymizer) {
		t.Fatalf("access export without anonymizer nor on-site viewing: %v", err)
	}
	e.export(e.dpo, c.Number, ExportOptions{OnSite: true, Encrypt: true})
	c, err = e.s.Delivery.Deliver(e.ctx, e.dpo, c.Number, DeliverInput{Support: SupportOnSite, Mode: ModeOnSite, Date: e.clock.Now(), RecipientName: "Jean Dupont"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Cases.Close(e.ctx, e.dpo, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	var sheetPDF bytes.Buffer
	if err := e.s.Papers.Sheet(e.ctx, e.dpo, c.Number, &sheetPDF, PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	wantText(t, pdfText(t, sheetPDF.Bytes()), c.Number, "dpo.leroy", "rs.bernard", "Jean Dupont")
	e.verify(register.VerifyOptions{})
}

// R-AUTH-3: an emergency export needs an explicit reason, always records an
// incident, and must be authorized afterwards before the case closes.
func TestEmergencyExport(t *testing.T) {
	e := newE2E(t)
	c := e.file(ReasonIncident, "entree")
	_, err := e.s.Cases.Export(e.ctx, e.op, c.Number, ExportOptions{Source: e.src, OutDir: t.TempDir()})
	if !errors.Is(err, register.ErrNotAuthorized) {
		t.Fatalf("export without authorization nor emergency: %v", err)
	}
	e.export(e.op, c.Number, ExportOptions{Emergency: "agression en cours, police sur place", Encrypt: true})
	c, _ = e.s.Cases.Get(e.ctx, e.op, c.Number)
	if c.State != StateExported || c.Emergency == nil || c.Emergency.Reason == "" || c.Emergency.Incident == 0 {
		t.Fatalf("emergency %+v", c.Emergency)
	}
	if tk := c.Tasks(); len(tk) != 1 || tk[0].Kind != "authorize_after_emergency" {
		t.Fatalf("tasks %+v", tk)
	}
	inc, _ := e.s.Incidents.List(e.ctx, e.dpo)
	if len(inc) != 1 || inc[0].Kind != IncidentExportWithoutAuthorization {
		t.Fatalf("incidents %+v", inc)
	}
	e.addMedium("USB-9")
	if _, err := e.s.Delivery.Deliver(e.ctx, e.op, c.Number, DeliverInput{Support: SupportUSB, MediaID: "USB-9", Mode: ModeHand,
		Date: e.clock.Now(), RecipientName: "OPJ Martin", RecipientID: "carte 77", PasswordChannel: "phone"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Cases.Close(e.ctx, e.op, c.Number, "fin"); !errors.Is(err, register.ErrState) {
		t.Fatalf("closed before authorization afterwards: %v", err)
	}
	if _, err := e.s.Cases.Authorize(e.ctx, e.op, c.Number, ""); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("operator regularised: %v", err)
	}
	c, err = e.s.Cases.Authorize(e.ctx, e.rs, c.Number, "régularisation")
	if err != nil || !c.Authorization.AfterEmergency || c.State != StateDelivered || len(c.Tasks()) != 0 {
		t.Fatalf("authorization afterwards: %+v %v", c.Authorization, err)
	}
	if _, err := e.s.Cases.Close(e.ctx, e.op, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	e.verify(register.VerifyOptions{})
}
