package procedure_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/account"
	"mileo.tech/extract/incident"
	"mileo.tech/extract/papers"
	. "mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/register"
	"mileo.tech/extract/retention"
)

// Full happy path of a judicial requisition (R-AUTH-2, R-DLV-1, R-DLV-2,
// R-ENC-2, R-REG-3, R-PRG-2).
func TestHappyPathJudicial(t *testing.T) {
	e := proceduretest.NewE2E(t)
	c := e.File(ReasonJudicial, "entree")
	if c.State != StateAuthorized || len(c.Tasks()) != 1 {
		t.Fatalf("requisition: %s %v", c.State, c.Tasks())
	}
	if _, err := e.Store.Cases.Acknowledge(e.Ctx, e.RS, c.Number); err != nil {
		t.Fatal(err)
	}
	// R-AUTH-2 (rev.): the typed reference alone authorizes nothing.
	if _, err := e.Store.Cases.Export(e.Ctx, e.Op, c.Number, ExportOptions{Source: e.Src, OutDir: filepath.Join(t.TempDir(), "x"), Encrypt: true}); !errors.Is(err, register.ErrNotAuthorized) {
		t.Fatalf("export before the requisition is attached: %v", err)
	}
	if _, err := e.Store.Delivery.AttachRequisition(e.Ctx, e.Op, c.Number, "réquisition.png", proceduretest.ScanPNG(t, 0x30)); err != nil {
		t.Fatal(err)
	}
	pw, gaps := e.Export(e.Op, c.Number, ExportOptions{Encrypt: true})
	if len(pw) < 16 || len(gaps) != 0 {
		t.Fatalf("password %d chars, gaps %v", len(pw), gaps)
	}
	c, _ = e.Store.Cases.Get(e.Ctx, e.Op, c.Number)
	ex := c.LastExport()
	if c.State != StateExported || ex == nil || !ex.Encrypted || !ex.Complete || len(ex.Files) != 1 || ex.Files[0].SHA256 == "" {
		t.Fatalf("export Record %+v", ex)
	}
	e.AddMedium("USB-007")
	var label bytes.Buffer
	if err := papers.New(e.Store).Label(e.Ctx, e.Op, c.Number, "USB-007", &label, papers.PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	proceduretest.WantText(t, proceduretest.PDFText(t, label.Bytes()), c.Number, "USB-007", "CONFIDENTIEL")
	if strings.Contains(proceduretest.PDFText(t, label.Bytes()), pw) {
		t.Fatal("the label carries the password")
	}
	c, err := e.Store.Delivery.Deliver(e.Ctx, e.Op, c.Number, DeliverInput{Support: SupportUSB, Seal: "S-0001", MediaID: "USB-007", Mode: ModeHand,
		Date: e.Clock.Now(), RecipientName: "Brigadier Léa Durand", RecipientID: "matricule 123456", RecipientOrg: "Commissariat de Créteil", PasswordChannel: "phone"})
	if err != nil {
		t.Fatal(err)
	}
	d := c.Deliveries[0]
	if c.State != StateDelivered || d.FileChannel != "hand" || d.PasswordChannel != "phone" || d.RecipientID != "matricule 123456" {
		t.Fatalf("delivery %+v", d)
	}
	var receipt bytes.Buffer
	if err := papers.New(e.Store).Receipt(e.Ctx, e.Op, c.Number, &receipt, papers.PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	proceduretest.WantText(t, proceduretest.PDFText(t, receipt.Bytes()), c.Number, "Brigadier Léa Durand", "matricule 123456", "entree", "mileo-extract register")
	scan := []byte("%PDF-1.4 scan of the signed receipt")
	a, err := e.Store.Delivery.AttachReceipt(e.Ctx, e.Op, c.Number, "/tmp/scan-récépissé.pdf", scan)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := e.Store.Delivery.AttachmentData(e.Ctx, e.RS, a.SHA256); err != nil || !bytes.Equal(got, scan) {
		t.Fatalf("attachment: %v", err)
	}
	// R-PRG-2 (rev.): the copy's deadline counts from the export's
	// verified end; closing our case changes nothing; the end of the
	// legitimate use gives 30 days from then; the closing of the judicial
	// procedure, declared when the authority says so, makes it due at once.
	exported := c.LastExport().At
	due, err := e.Store.Purges.Due(e.Ctx, e.Admin)
	if err != nil || len(due) != 1 || !due[0].Deadline.Equal(exported.Add(retention.PurgeDelay)) {
		t.Fatalf("due %+v %v (export ended %v)", due, err, exported)
	}
	if c, err = e.Store.Cases.Close(e.Ctx, e.Op, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	if due, _ = e.Store.Purges.Due(e.Ctx, e.Admin); !due[0].Deadline.Equal(exported.Add(retention.PurgeDelay)) {
		t.Fatalf("closing our case moved the deadline: %+v", due[0])
	}
	e.Clock.Advance(3 * 24 * time.Hour)
	if _, err := e.Store.Cases.EndUse(e.Ctx, e.Op, c.Number, ""); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("end of use without saying why: %v", err)
	}
	if c, err = e.Store.Cases.EndUse(e.Ctx, e.Op, c.Number, "remise confirmée par l'OPJ"); err != nil {
		t.Fatal(err)
	}
	if due, _ = e.Store.Purges.Due(e.Ctx, e.Admin); !due[0].Deadline.Equal(c.UseEnded.At.Add(retention.PurgeDelay)) {
		t.Fatalf("deadline after the end of use: %+v", due[0])
	}
	e.Clock.Advance(24 * time.Hour)
	if c, err = e.Store.Cases.DeclareJudicialClosed(e.Ctx, e.Op, c.Number, "avis de classement du parquet n° 26/123"); err != nil {
		t.Fatal(err)
	}
	due, err = e.Store.Purges.Due(e.Ctx, e.Admin)
	if err != nil || len(due) != 1 || !due[0].Deadline.Equal(c.JudicialClosed.At) {
		t.Fatalf("due %+v %v", due, err)
	}
	if _, err := e.Store.Purges.Files(e.Ctx, e.Op, due[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(ex.OutDir); !os.IsNotExist(err) {
		t.Fatalf("export folder still there: %v", err)
	}
	var sheetPDF bytes.Buffer
	if err := papers.New(e.Store).Sheet(e.Ctx, e.RS, c.Number, &sheetPDF, papers.PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	text := proceduretest.PDFText(t, sheetPDF.Bytes())
	proceduretest.WantText(t, text, c.Number, "o.martin", "rs.bernard", "PV 2026/00123", "mileo-extract register", "Entrepôt Sud — Créteil", "Léa Durand", "Commissariat de Créteil")
	rep := e.Verify(register.VerifyOptions{})
	if rep.Checkpoints == 0 {
		t.Fatal("no checkpoint checked")
	}
}

// Full happy path of a security incident, internal export with a gap, and
// the 48 h purge deadline (R-EXP-3 gaps recorded, R-PRG-1, R-PRG-2,
// R-PRG-3, R-REG-6).
func TestHappyPathIncident(t *testing.T) {
	e := proceduretest.NewE2E(t)
	c := e.File(ReasonIncident, "caisses", "parking")
	e.Designate("d.petit")
	if _, err := e.Store.Cases.StandIn(e.Ctx, e.Del, c.Number, "absent"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.Cases.Authorize(e.Ctx, e.Del, c.Number, "enquête interne"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "export")
	_, gaps := e.Export(e.Op, c.Number, ExportOptions{OutDir: out, Encrypt: true})
	if strings.Join(gaps, ",") != "caisses" {
		t.Fatalf("gaps %v", gaps)
	}
	c, _ = e.Store.Cases.Get(e.Ctx, e.Op, c.Number)
	ex := c.LastExport()
	if ex.Complete || len(ex.Gaps) != 1 || !ex.Encrypted {
		t.Fatalf("export %+v", ex)
	}
	if e.Fixture.CountActions("case.gaps") != 1 {
		t.Fatal("gaps not recorded")
	}
	// R-PRG-1: the export folder was tracked from its creation, due 48 h
	// after an internal export.
	cs, err := e.Store.Purges.Copies(e.Ctx, e.Op)
	if err != nil || len(cs) != 1 || cs[0].Location != out || cs[0].Deadline.Sub(cs[0].Created).Round(time.Second) != retention.InternalPurgeDelay {
		t.Fatalf("copies %+v %v", cs, err)
	}
	e.AddMedium("USB-100")
	if _, err := e.Store.Delivery.Deliver(e.Ctx, e.Op, c.Number, DeliverInput{Support: SupportUSB, Seal: "S-0001", MediaID: "USB-100", Mode: ModeHand,
		Date: e.Clock.Now(), RecipientName: "Responsable sûreté", RecipientID: "badge 42", RecipientOrg: "Service sécurité interne", PasswordChannel: "phone"}); err != nil {
		t.Fatal(err)
	}
	// R-DLV-1 (rev.): no closing before the signed receipt is attached.
	if _, err := e.Store.Cases.Close(e.Ctx, e.Op, c.Number, ""); !errors.Is(err, register.ErrState) {
		t.Fatalf("closed without the signed receipt: %v", err)
	}
	e.AttachReceipt(c.Number)
	if _, err := e.Store.Cases.Close(e.Ctx, e.Op, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	// Only a judicial or police request has a judicial procedure to close.
	if _, err := e.Store.Cases.DeclareJudicialClosed(e.Ctx, e.Op, c.Number, "avis"); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("judicial closing of an incident case: %v", err)
	}
	// R-PRG-2: overdue after 48 h, shown to everyone, one incident.
	e.Clock.Advance(49 * time.Hour)
	for _, s := range []*account.Session{e.Admin, e.Op, e.DPO} {
		due, err := e.Store.Purges.Due(e.Ctx, s)
		if err != nil || len(due) != 1 || !due[0].Overdue(e.Clock.Now()) || due[0].Incident == 0 {
			t.Fatalf("due for %s: %+v %v", s.User, due, err)
		}
	}
	inc, _ := e.Store.Incidents.List(e.Ctx, e.DPO)
	if len(inc) != 1 || inc[0].Kind != incident.PurgeOverdue || inc[0].Case != c.Number {
		t.Fatalf("incidents %+v", inc)
	}
	// R-PRG-3: the person who purged declares it.
	if _, err := e.Store.Purges.Declare(e.Ctx, e.Op, cs[0].ID, "shred"); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("unknown method: %v", err)
	}
	p, err := e.Store.Purges.Declare(e.Ctx, e.Op, cs[0].ID, retention.PurgeOverwrite)
	if err != nil || p.Purge.By != "o.martin" || !p.Purge.Declared {
		t.Fatalf("declare: %+v %v", p, err)
	}
	if _, err := e.Store.Purges.Declare(e.Ctx, e.Op, cs[0].ID, retention.PurgeOverwrite); !errors.Is(err, register.ErrState) {
		t.Fatalf("second purge: %v", err)
	}
	e.Verify(register.VerifyOptions{})
}

// Full happy path of an insurance claim, with the password checks of
// R-ENC-2 and the refused delivery modes of R-DLV-2.
func TestHappyPathInsurance(t *testing.T) {
	e := proceduretest.NewE2E(t)
	c := e.File(ReasonInsurance, "entree", "parking")
	if _, err := e.Store.Cases.Authorize(e.Ctx, e.RS, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	pw, _ := e.Export(e.Op, c.Number, ExportOptions{Encrypt: true})
	// The password sheet carries the password; its printing is recorded
	// without it.
	var pwSheet bytes.Buffer
	if err := papers.New(e.Store).PasswordSheet(e.Ctx, e.Op, c.Number, pw, "sms", &pwSheet, papers.PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	proceduretest.WantText(t, proceduretest.PDFText(t, pwSheet.Bytes()), c.Number, pw)
	in := DeliverInput{Support: SupportPlatform, Mode: ModePlatform, Date: e.Clock.Now(),
		RecipientName: "Expert mandaté", RecipientID: "dossier 42", RecipientOrg: "Assureur AXA", PasswordChannel: "platform"}
	// R-ENC-2: the same channel twice is refused and becomes an incident.
	if _, err := e.Store.Delivery.Deliver(e.Ctx, e.Op, c.Number, in); !errors.Is(err, register.ErrSameChannel) {
		t.Fatalf("same channel: %v", err)
	}
	// R-DLV-2: personal media and unapproved cloud shares are refused.
	for _, bad := range []DeliverInput{
		{Support: "personal_usb", Mode: ModeHand, Date: in.Date, RecipientName: "x", RecipientID: "y"},
		{Support: SupportPlatform, Mode: "cloud", Date: in.Date, RecipientName: "x", RecipientID: "y"},
		{Support: SupportPlatform, Mode: ModePlatform, FileChannel: "email", Date: in.Date, RecipientName: "x", RecipientID: "y"},
	} {
		if _, err := e.Store.Delivery.Deliver(e.Ctx, e.Op, c.Number, bad); !errors.Is(err, register.ErrForbiddenMode) {
			t.Fatalf("forbidden delivery %+v: %v", bad, err)
		}
	}
	inc, _ := e.Store.Incidents.List(e.Ctx, e.RS)
	kinds := map[string]int{}
	for _, i := range inc {
		kinds[i.Kind]++
	}
	if kinds[incident.SameChannel] != 1 || kinds[incident.ForbiddenDelivery] != 3 {
		t.Fatalf("incidents %v", kinds)
	}
	// The USB support needs a medium of the inventory.
	if _, err := e.Store.Delivery.Deliver(e.Ctx, e.Op, c.Number, DeliverInput{Support: SupportUSB, Seal: "S-0001", Mode: ModeHand, Date: in.Date,
		RecipientName: "x", RecipientID: "y", PasswordChannel: "phone"}); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("usb without medium: %v", err)
	}
	in.PasswordChannel = "sms"
	c, err := e.Store.Delivery.Deliver(e.Ctx, e.Op, c.Number, in)
	if err != nil {
		t.Fatal(err)
	}
	if c.State != StateDelivered || c.Deliveries[0].PasswordChannel != "sms" || c.Deliveries[0].FileChannel != "platform" {
		t.Fatalf("delivery %+v", c.Deliveries)
	}
	e.AttachReceipt(c.Number)
	if _, err := e.Store.Cases.Close(e.Ctx, e.Op, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	// R-ENC-2: the password was shown once and never written to disk.
	e.Store.Close()
	for _, n := range []string{register.DBName, register.DBName + "-wal"} {
		b, _ := os.ReadFile(filepath.Join(e.Dir, n))
		if bytes.Contains(b, []byte(pw)) {
			t.Fatalf("password found in %s", n)
		}
	}
	e.Store = proceduretest.Open(t, e.Dir, e.Clock)
	e.Verify(register.VerifyOptions{})
}

// Full happy path of a data subject's access request viewed on site
// (R-ANON-1 on-site exception, R-REQ-3): inside the application, with no
// file (R-ENC-1 rev.): an "on-site export" is refused, and the on-site
// handover needs the viewing recorded by the case's player (R-ACC-1).
func TestHappyPathAccessOnSite(t *testing.T) {
	e := proceduretest.NewE2E(t)
	c := e.File(ReasonAccess, "entree")
	if _, err := e.Store.Cases.Authorize(e.Ctx, e.RS, c.Number, "identité vérifiée"); err != nil {
		t.Fatal(err)
	}
	_, err := e.Store.Cases.Export(e.Ctx, e.DPO, c.Number, ExportOptions{Source: e.Src, OutDir: t.TempDir()})
	if !errors.Is(err, register.ErrNeedsAnonymizer) {
		t.Fatalf("access export without anonymizer: %v", err)
	}
	out := filepath.Join(t.TempDir(), "sur-place")
	if _, err := e.Store.Cases.Export(e.Ctx, e.DPO, c.Number, ExportOptions{Source: e.Src, OutDir: out, OnSite: true, Encrypt: true}); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("on-site export: %v", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the refused on-site export wrote %s", out)
	}
	onSite := DeliverInput{Support: SupportOnSite, Mode: ModeOnSite, RecipientName: "Jean Dupont"}
	if _, err := e.Store.Delivery.Deliver(e.Ctx, e.DPO, c.Number, onSite); !errors.Is(err, register.ErrState) {
		t.Fatalf("on-site handover without a viewing in the application: %v", err)
	}
	if err := e.Store.Viewing.Record(e.Ctx, e.DPO, Viewing{Case: c.Number, Camera: "entree", Range: c.Range}); err != nil {
		t.Fatal(err)
	}
	c, err = e.Store.Delivery.Deliver(e.Ctx, e.DPO, c.Number, onSite)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Exports) != 0 || c.State != StateDelivered {
		t.Fatalf("state %s, %d exports", c.State, len(c.Exports))
	}
	if _, err := e.Store.Cases.Close(e.Ctx, e.DPO, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	var sheetPDF bytes.Buffer
	if err := papers.New(e.Store).Sheet(e.Ctx, e.DPO, c.Number, &sheetPDF, papers.PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	proceduretest.WantText(t, proceduretest.PDFText(t, sheetPDF.Bytes()), c.Number, "dpo.leroy", "rs.bernard", "Jean Dupont")
	e.Verify(register.VerifyOptions{})
}

// R-AUTH-3: an emergency export needs an explicit reason, always records an
// incident, and must be authorized afterwards before the case closes.
func TestEmergencyExport(t *testing.T) {
	e := proceduretest.NewE2E(t)
	c := e.File(ReasonIncident, "entree")
	_, err := e.Store.Cases.Export(e.Ctx, e.Op, c.Number, ExportOptions{Source: e.Src, OutDir: t.TempDir()})
	if !errors.Is(err, register.ErrNotAuthorized) {
		t.Fatalf("export without authorization nor emergency: %v", err)
	}
	e.Export(e.Op, c.Number, ExportOptions{Emergency: "agression en cours, police sur place", Encrypt: true})
	c, _ = e.Store.Cases.Get(e.Ctx, e.Op, c.Number)
	if c.State != StateExported || c.Emergency == nil || c.Emergency.Reason == "" || c.Emergency.Incident == 0 {
		t.Fatalf("emergency %+v", c.Emergency)
	}
	if tk := c.Tasks(); len(tk) != 1 || tk[0].Kind != "authorize_after_emergency" {
		t.Fatalf("tasks %+v", tk)
	}
	// Two incidents: the refused attempt, then the emergency export.
	inc, _ := e.Store.Incidents.List(e.Ctx, e.DPO)
	if len(inc) != 2 || inc[0].Kind != incident.ExportWithoutAuthorization || inc[1].Kind != incident.ExportWithoutAuthorization || inc[1].Seq != c.Emergency.Incident {
		t.Fatalf("incidents %+v", inc)
	}
	e.AddMedium("USB-9")
	if _, err := e.Store.Delivery.Deliver(e.Ctx, e.Op, c.Number, DeliverInput{Support: SupportUSB, Seal: "S-0001", MediaID: "USB-9", Mode: ModeHand,
		Date: e.Clock.Now(), RecipientName: "Chef de poste", RecipientID: "badge 77", RecipientOrg: "Service sécurité interne", PasswordChannel: "phone"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.Cases.Close(e.Ctx, e.Op, c.Number, "fin"); !errors.Is(err, register.ErrState) {
		t.Fatalf("closed before authorization afterwards: %v", err)
	}
	if _, err := e.Store.Cases.Authorize(e.Ctx, e.Op, c.Number, ""); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("operator regularised: %v", err)
	}
	c, err = e.Store.Cases.Authorize(e.Ctx, e.RS, c.Number, "régularisation")
	if err != nil || !c.Authorization.AfterEmergency || c.State != StateDelivered || len(c.Tasks()) != 0 {
		t.Fatalf("authorization afterwards: %+v %v", c.Authorization, err)
	}
	e.AttachReceipt(c.Number)
	if _, err := e.Store.Cases.Close(e.Ctx, e.Op, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	e.Verify(register.VerifyOptions{})
}
