package proceduretest

import (
	"path/filepath"
	"testing"
	"time"

	"mileo.tech/extract/account"
	"mileo.tech/extract/internal/demo/demotest"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/vms"
	"mileo.tech/extract/vms/connect"
)

// E2E is a fixture whose requests target the shared demo archive, to
// export from.
type E2E struct {
	*Fixture
	Src vms.Source
}

// DemoStart is the first instant of the shared demo archive.
var DemoStart = demotest.Start

// NewE2E builds the fixture; it skips the test with -short.
func NewE2E(t *testing.T) *E2E {
	if testing.Short() {
		t.Skip("exports from the demo archive are skipped with -short")
	}
	dir := demotest.Archive(t)
	f := New(t)
	// The requests are received the day after the footage.
	f.Clock.Advance(DemoStart.Add(26 * time.Hour).Sub(f.Clock.Now()))
	src, err := connect.Open(f.Ctx, "folder:"+dir)
	if err != nil {
		t.Fatal(err)
	}
	return &E2E{Fixture: f, Src: src}
}

// DemoRequest is a request about the demo archive: 60 s to 80 s, which
// holds the 30 s gap of camera "caisses" when it is asked for.
func (e *E2E) DemoRequest(reason procedure.Reason, cams ...string) procedure.Request {
	r := e.Request(reason)
	r.Range = vms.Range{Start: DemoStart.Add(60 * time.Second), End: DemoStart.Add(80 * time.Second)}
	r.Received = e.Clock.Now().Add(-time.Hour)
	r.Cameras = cams
	return r
}

// File files and confirms a request about the demo archive.
func (e *E2E) File(reason procedure.Reason, cams ...string) *procedure.Case {
	e.T.Helper()
	c, err := e.Store.Cases.New(e.Ctx, e.Op, e.DemoRequest(reason, cams...))
	if err != nil {
		e.T.Fatal(err)
	}
	c, err = e.Store.Cases.Confirm(e.Ctx, e.Op, c.Number, procedure.ConfirmInput{How: "téléphone", With: "le demandeur"})
	if err != nil {
		e.T.Fatal(err)
	}
	return c
}

// Export exports a case from the demo archive (into a temporary folder
// unless opt names one) and returns the archive's password and the
// cameras with gaps.
func (e *E2E) Export(sess *account.Session, number string, opt procedure.ExportOptions) (string, []string) {
	e.T.Helper()
	if opt.OutDir == "" {
		opt.OutDir = filepath.Join(e.T.TempDir(), "export")
	}
	opt.Source = e.Src
	res, err := e.Store.Cases.Export(e.Ctx, sess, number, opt)
	if err != nil && res == nil {
		e.T.Fatalf("export %s: %v", number, err)
	}
	var gaps []string
	for _, g := range res.Gaps {
		gaps = append(gaps, g.Camera)
	}
	return res.Password, gaps
}

// AddMedium adds a USB key to the inventory, as the operator.
func (e *E2E) AddMedium(id string) {
	e.T.Helper()
	if _, err := e.Store.Media.Add(e.Ctx, e.Op, id, "usb", "clé scellée"); err != nil {
		e.T.Fatal(err)
	}
}

// AttachReceipt attaches a scanned signed receipt (R-DLV-1).
func (e *E2E) AttachReceipt(number string) {
	e.T.Helper()
	if _, err := e.Store.Delivery.AttachReceipt(e.Ctx, e.Op, number, "recepisse.pdf", []byte("%PDF-1.4 récépissé signé")); err != nil {
		e.T.Fatal(err)
	}
}
