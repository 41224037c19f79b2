package procedure_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"mileo.tech/extract/export"
	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/internal/i18n"
	. "mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/register"
)

// checkingAnonymizer stands for an anonymizer whose final check lists
// suspects (or fails to run): its output is the clip itself, remuxed, and
// only what it reports matters here. The real check is proven in
// anonymize (TestCheckFindsDroppedTrack) and end to end in
// TestHappyPathAccessAnonymized.
type checkingAnonymizer struct {
	suspects []export.Suspect
	fail     error
}

func (checkingAnonymizer) Anonymize(ctx context.Context, in av.Input, out av.Output, _ func(done, total int64)) (*export.Anonymization, error) {
	if _, err := av.Remux(ctx, []av.Input{in}, out, av.RemuxOptions{}); err != nil {
		return nil, err
	}
	return &export.Anonymization{Detector: "yunet-test", Reviewer: "dpo.leroy"}, nil
}

func (a checkingAnonymizer) CheckRendered(ctx context.Context, doc *export.Anonymization, rendered av.Input, _ func(done, total int64)) (*export.FinalCheck, error) {
	if a.fail != nil {
		return nil, a.fail
	}
	return &export.FinalCheck{Checker: "test", Frames: 500, Analysed: 100, Suspects: a.suspects}, nil
}

// R-ANON-2 (rev.), R-ANON-4, issue 15: the suspects of the final check
// are recorded with the export; the access request is not handed over,
// nor called verified, until a person settled each; a check that could
// not run verifies nothing and cannot be marked checked.
func TestFinalCheckSettledBeforeHandover(t *testing.T) {
	e := proceduretest.NewE2E(t)
	an := checkingAnonymizer{suspects: []export.Suspect{
		{ID: 1, From: 30, To: 37, Box: [4]float64{10, 10, 60, 80}, Frames: 8, Reason: "head", Score: 0.4},
		{ID: 2, From: 200, To: 204, Box: [4]float64{300, 40, 340, 90}, Frames: 5, Reason: "face", Score: 0.3},
	}}
	c := e.File(ReasonAccess, "entree")
	if _, err := e.Store.Cases.Authorize(e.Ctx, e.RS, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	e.Export(e.DPO, c.Number, ExportOptions{Anonymizer: an, Encrypt: true})
	c, err := e.Store.Cases.Get(e.Ctx, e.DPO, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	x := c.LastExport()
	if len(x.Checks) != 1 || x.Checks[0].Check == nil || len(x.Unsettled()) != 2 || x.Verified() {
		t.Fatalf("checks %+v unsettled %d verified %v", x.Checks, len(x.Unsettled()), x.Verified())
	}
	file := x.Files[0].Name
	if _, next := c.Actions("o.martin", register.RoleOperator); next == ActDeliver {
		t.Fatal("delivery offered before the check is settled")
	}
	e.AddMedium("USB-0050")
	in := DeliverInput{Support: SupportUSB, Seal: "S-0001", MediaID: "USB-0050", Mode: ModeHand,
		RecipientName: "Jean Dupont", RecipientID: "CNI 42", PasswordChannel: "sms"}
	deliver := func() error { _, err := e.Store.Delivery.Deliver(e.Ctx, e.Op, c.Number, in); return err }
	if err := deliver(); !errors.Is(err, register.ErrState) || !strings.Contains(i18n.New("fr").Err(err), "2 point") {
		t.Fatalf("handover with two suspects unsettled: %v", err)
	}
	if _, err := e.Store.Cases.Settle(e.Ctx, e.DPO, c.Number, file, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.Cases.Settle(e.Ctx, e.DPO, c.Number, file, 1); !errors.Is(err, register.ErrNotFound) {
		t.Fatalf("settled twice: %v", err)
	}
	if _, err := e.Store.Cases.Settle(e.Ctx, e.DPO, c.Number, file, 9); !errors.Is(err, register.ErrNotFound) {
		t.Fatalf("settled an unknown suspect: %v", err)
	}
	if err := deliver(); !errors.Is(err, register.ErrState) {
		t.Fatalf("handover with one suspect unsettled: %v", err)
	}
	c, err = e.Store.Cases.Settle(e.Ctx, e.DPO, c.Number, file, 2)
	if err != nil {
		t.Fatal(err)
	}
	if x := c.LastExport(); !x.Verified() || x.Checks[0].Settled[2].By != "dpo.leroy" {
		t.Fatalf("not verified after settling: %+v", x.Checks)
	}
	if err := deliver(); err != nil {
		t.Fatal(err)
	}
	e.Verify(register.VerifyOptions{})

	// A check that could not run (models missing) verifies nothing.
	c2 := e.File(ReasonAccess, "entree")
	if _, err := e.Store.Cases.Authorize(e.Ctx, e.RS, c2.Number, ""); err != nil {
		t.Fatal(err)
	}
	e.Export(e.DPO, c2.Number, ExportOptions{Anonymizer: checkingAnonymizer{fail: errors.New("final check: model missing")}, Encrypt: true})
	c2, err = e.Store.Cases.Get(e.Ctx, e.DPO, c2.Number)
	if err != nil {
		t.Fatal(err)
	}
	x2 := c2.LastExport()
	if p := x2.Unsettled(); len(p) != 1 || p[0].Suspect != nil || !strings.Contains(p[0].Error, "model") || x2.Verified() {
		t.Fatalf("failed check: %+v", p)
	}
	if _, err := e.Store.Cases.Settle(e.Ctx, e.DPO, c2.Number, x2.Files[0].Name, 1); !errors.Is(err, register.ErrState) {
		t.Fatalf("settled a check that did not run: %v", err)
	}
}
