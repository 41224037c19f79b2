package procedure_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"mileo.tech/extract/export"
	"mileo.tech/extract/internal/av"
	. "mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/register"
	"mileo.tech/extract/vms"
)

// Nobody decides on a case they filed, confirmed or exported, and nobody
// exports a case they authorized: the two signatures of the register sheet
// are two people (R-SOD-1, R-AUTH-1).
func TestSeparationOfDuties(t *testing.T) {
	f := proceduretest.New(t)
	// The security manager files and confirms a request himself.
	c, err := f.Store.Cases.New(f.Ctx, f.RS, f.Request(ReasonInsurance))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Store.Cases.Confirm(f.Ctx, f.RS, c.Number, ConfirmInput{How: "téléphone", With: "l'assureur"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Store.Cases.Authorize(f.Ctx, f.RS, c.Number, "je m'autorise"); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("the requester authorized his own case: %v", err)
	}
	if _, err := f.Store.Cases.Refuse(f.Ctx, f.RS, c.Number, "je refuse"); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("the requester refused his own case: %v", err)
	}
	if n := f.CountActions("case.authorize") + f.CountActions("case.refuse"); n != 0 {
		t.Fatalf("%d decisions recorded", n)
	}
	// The designated delegate decides, the security manager being
	// concerned by the case; then she may not export what she authorized.
	f.Designate("d.petit")
	if _, err = f.Store.Cases.StandIn(f.Ctx, f.Del, c.Number, "conflict"); err != nil {
		t.Fatal(err)
	}
	if c, err = f.Store.Cases.Authorize(f.Ctx, f.Del, c.Number, "accord"); err != nil {
		t.Fatal(err)
	}
	if err := CheckExporter(c, "d.petit"); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("the authorizer may export: %v", err)
	}
	if err := CheckExporter(c, "o.martin"); err != nil {
		t.Fatalf("the operator may not export: %v", err)
	}
	// Whoever confirmed a case does not decide on it either.
	c2 := f.NewCase(ReasonInsurance) // filed and confirmed by the operator
	c2.Confirmation.By = "rs.bernard"
	if err := CheckAuthorizer(c2, "rs.bernard"); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("the confirmer may decide: %v", err)
	}
	f.Verify(register.VerifyOptions{})
}

// The confirmation with the requester only narrows the range and the
// cameras; widening them is a new request (R-REQ-2).
func TestConfirmationOnlyNarrows(t *testing.T) {
	f := proceduretest.New(t)
	req := f.Request(ReasonInsurance)
	for _, tc := range []struct {
		name string
		in   ConfirmInput
		ok   bool
	}{
		{"earlier start", ConfirmInput{Range: vms.Range{Start: req.Range.Start.Add(-time.Second), End: req.Range.End}}, false},
		{"later end", ConfirmInput{Range: vms.Range{Start: req.Range.Start, End: req.Range.End.Add(time.Minute)}}, false},
		{"another camera", ConfirmInput{Cameras: []string{"cam1", "cam3"}}, false},
		{"same", ConfirmInput{}, true},
		{"narrower", ConfirmInput{Range: vms.Range{Start: req.Range.Start.Add(time.Minute), End: req.Range.End.Add(-time.Minute)}, Cameras: []string{"cam2"}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := f.Store.Cases.New(f.Ctx, f.Op, req)
			if err != nil {
				t.Fatal(err)
			}
			tc.in.How, tc.in.With = "téléphone", "le demandeur"
			_, err = f.Store.Cases.Confirm(f.Ctx, f.Op, c.Number, tc.in)
			if tc.ok != (err == nil) || (!tc.ok && !errors.Is(err, register.ErrInvalid)) {
				t.Fatalf("confirm: %v", err)
			}
		})
	}
}

// An access request never hands over native files: they carry every third
// party unblurred (R-EXP-5, R-ANON-1). Nothing is recorded.
func TestNoNativeFilesForAccessRequests(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(ReasonAccess)
	if _, err := f.Store.Cases.Authorize(f.Ctx, f.RS, c.Number, "accord"); err != nil {
		t.Fatal(err)
	}
	c, err := f.Store.Cases.Get(f.Ctx, f.Op, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	err = CheckExport(c, ExportOptions{Native: true, Encrypt: true, OutDir: t.TempDir()})
	if !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("native files of an access request: %v", err)
	}
	if n := f.CountActions("case.export.start"); n != 0 {
		t.Fatalf("%d exports started", n)
	}
}

// The password travels by a secure channel (phone, SMS, sealed envelope by
// hand), never by mail, email or the platform (R-ENC-2); an export made
// for viewing on site, not blurred, never leaves on a medium (R-ANON-1).
func TestDeliveryChannelsAndOnSite(t *testing.T) {
	e := proceduretest.NewE2E(t)
	c := e.File(ReasonInsurance, "entree")
	if _, err := e.Store.Cases.Authorize(e.Ctx, e.RS, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	e.Export(e.Op, c.Number, ExportOptions{Encrypt: true})
	if _, err := e.Store.Media.Add(e.Ctx, e.Op, "USB-0042", "usb", ""); err != nil {
		t.Fatal(err)
	}
	for _, ch := range []string{"email", "post", "registered_mail", "platform"} {
		in := DeliverInput{Support: SupportUSB, Seal: "S-0001", MediaID: "USB-0042", Mode: ModeHand, Date: e.Clock.Now(),
			RecipientName: "M. Leroy", RecipientID: "CNI 123", RecipientOrg: "Assureur AXA", PasswordChannel: ch}
		if _, err := e.Store.Delivery.Deliver(e.Ctx, e.Op, c.Number, in); !errors.Is(err, register.ErrInvalid) && !errors.Is(err, register.ErrSameChannel) {
			t.Fatalf("password by %s: %v", ch, err)
		}
	}
	// R-DLV-3: the named recipient or a person of that organisation, at
	// the actual date of the handover.
	for name, bad := range map[string]DeliverInput{
		"someone else": {RecipientName: "M. Leroy", RecipientOrg: "Cabinet Durand"},
		"no org":       {RecipientName: "M. Leroy"},
		"only noise":   {RecipientName: "M. Leroy", RecipientOrg: "de la"},
		"future date":  {RecipientName: "M. Leroy", RecipientOrg: "Assureur AXA", Date: e.Clock.Now().Add(24 * time.Hour)},
		"past date":    {RecipientName: "M. Leroy", RecipientOrg: "assureur axa", Date: e.Clock.Now().Add(-72 * time.Hour)},
	} {
		bad.Support, bad.MediaID, bad.Mode, bad.RecipientID, bad.PasswordChannel, bad.Seal = SupportUSB, "USB-0042", ModeHand, "CNI 123", "sms", "S-0001"
		if _, err := e.Store.Delivery.Deliver(e.Ctx, e.Op, c.Number, bad); !errors.Is(err, register.ErrInvalid) {
			t.Fatalf("%s: %v", name, err)
		}
	}
	in := DeliverInput{Support: SupportUSB, Seal: "S-0001", MediaID: "USB-0042", Mode: ModeHand,
		RecipientName: "M. Leroy", RecipientID: "CNI 123", RecipientOrg: "ASSUREUR axa", PasswordChannel: "sms"}
	d, err := e.Store.Delivery.Deliver(e.Ctx, e.Op, c.Number, in)
	if err != nil {
		t.Fatalf("password by SMS: %v", err)
	}
	if got := d.Deliveries[0]; got.Date.Sub(got.At).Abs() > time.Second || got.RecipientOrg != "ASSUREUR axa" {
		t.Fatalf("delivery recorded %+v", got)
	}

	// Viewing on site happens in the application: it is no export, and
	// nothing viewed on site goes on a medium (R-ANON-1, R-ENC-1 rev.).
	a := e.File(ReasonAccess, "entree")
	if _, err := e.Store.Cases.Authorize(e.Ctx, e.RS, a.Number, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.Cases.Export(e.Ctx, e.Op, a.Number, ExportOptions{OnSite: true, Encrypt: true, Source: e.Src, OutDir: t.TempDir()}); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("on-site export: %v", err)
	}
	if _, err := e.Store.Media.Add(e.Ctx, e.Op, "USB-0043", "usb", ""); err != nil {
		t.Fatal(err)
	}
	in.MediaID = "USB-0043"
	if _, err := e.Store.Delivery.Deliver(e.Ctx, e.Op, a.Number, in); !errors.Is(err, register.ErrState) {
		t.Fatalf("an unexported access request on a USB key: %v", err)
	}
	e.Verify(register.VerifyOptions{})
}

// fallbackAnonymizer stands for the Haar fallback (its output is the
// clip itself, remuxed): only its documentation matters here.
type fallbackAnonymizer struct{}

func (fallbackAnonymizer) Anonymize(ctx context.Context, in av.Input, out av.Output, _ func(done, total int64)) (*export.Anonymization, error) {
	if _, err := av.Remux(ctx, []av.Input{in}, out, av.RemuxOptions{}); err != nil {
		return nil, err
	}
	return &export.Anonymization{Detector: "haar-fallback", Fallback: true, Reviewer: "o.martin"}, nil
}

// An access request anonymized by the fallback detector, which finds a
// third of the faces, is never handed over (R-ANON-1 rev.).
func TestNoHandoverAnonymizedByFallback(t *testing.T) {
	e := proceduretest.NewE2E(t)
	c := e.File(ReasonAccess, "entree")
	if _, err := e.Store.Cases.Authorize(e.Ctx, e.RS, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	e.Export(e.Op, c.Number, ExportOptions{Anonymizer: fallbackAnonymizer{}, Encrypt: true})
	e.AddMedium("USB-0044")
	_, err := e.Store.Delivery.Deliver(e.Ctx, e.Op, c.Number, DeliverInput{Support: SupportUSB, Seal: "S-0001", MediaID: "USB-0044", Mode: ModeHand,
		Date: e.Clock.Now(), RecipientName: "Jean Dupont", RecipientID: "CNI 42", PasswordChannel: "sms"})
	if !errors.Is(err, register.ErrForbiddenMode) {
		t.Fatalf("handover of a fallback anonymization: %v", err)
	}
	if c, _ := e.Store.Cases.Get(e.Ctx, e.Op, c.Number); c.State != StateExported || !c.LastExport().Fallback {
		t.Fatalf("state %s, fallback %v", c.State, c.LastExport().Fallback)
	}
}

// Every extraction that leaves as a file is encrypted, internal ones and
// on-site viewing included: « interne » is no reason to write footage in
// clear (R-ENC-1 rev.; issue 15).
func TestEveryExportEncrypted(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(ReasonIncident) // internal
	if _, err := f.Store.Cases.Authorize(f.Ctx, f.RS, c.Number, "accord"); err != nil {
		t.Fatal(err)
	}
	c, err := f.Store.Cases.Get(f.Ctx, f.Op, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Internal {
		t.Fatal("the fixture's incident case is not internal")
	}
	if err := CheckExport(c, ExportOptions{OutDir: t.TempDir()}); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("clear internal export: %v", err)
	}
	if !c.ExportChoices().EncryptRequired {
		t.Fatal("the window would offer a clear export")
	}
}

// The person who stops an export is recorded as cancelling it, not as a
// failure, and an export that wrote nothing leaves no copy to purge: its
// empty folder is removed and its tracking closed (R-REG-1 rev., R-PRG-1;
// issue 17).
func TestCancelledExportRecordedAsCancel(t *testing.T) {
	e := proceduretest.NewE2E(t)
	c := e.File(ReasonIncident, "entree")
	if _, err := e.Store.Cases.Authorize(e.Ctx, e.RS, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(e.Ctx)
	defer cancel()
	out := filepath.Join(t.TempDir(), "export")
	_, err := e.Store.Cases.Export(ctx, e.Op, c.Number, ExportOptions{OutDir: out, Encrypt: true, Source: e.Src,
		OnProgress: func(export.Progress) { cancel() }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("export: %v", err)
	}
	c, err = e.Store.Cases.Get(e.Ctx, e.Op, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	var fail map[string]any
	for _, en := range c.Entries {
		if en.Action == "case.export.fail" {
			if err := json.Unmarshal(en.Data, &fail); err != nil {
				t.Fatal(err)
			}
		}
	}
	if fail["canceled"] != true || fail["error"] != "" {
		t.Fatalf("recorded %v", fail)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("empty export folder left: %v", err)
	}
	due, err := e.Store.Purges.Due(e.Ctx, e.Op)
	if err != nil {
		t.Fatal(err)
	}
	for _, cp := range due {
		if cp.Case == c.Number {
			t.Fatalf("purge task for a copy that holds nothing: %+v", cp)
		}
	}
	e.Verify(register.VerifyOptions{})
}
