package retention_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/papers"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/register"
)

// R-REG-4: personal data are kept for the retention period, never erased
// before; after it the DPO erases them and the chain still verifies.
func TestRetentionErasure(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(procedure.ReasonAccess)
	if n, err := f.Store.Purges.ErasePersonal(f.Ctx, f.DPO); err != nil || n != 0 {
		t.Fatalf("erased %d before the date: %v", n, err)
	}
	if _, err := f.Store.Purges.ErasePersonal(f.Ctx, f.Admin); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("admin erased: %v", err)
	}
	f.Clock.Advance(4 * 365 * 24 * time.Hour)
	if n, _ := f.Store.Purges.ErasePersonal(f.Ctx, f.DPO); n != 0 {
		t.Fatalf("erased %d after 4 years", n)
	}
	f.Clock.Advance(366 * 24 * time.Hour)
	dpo := f.Login("dpo.leroy", proceduretest.DPOPW)
	n, err := f.Store.Purges.ErasePersonal(f.Ctx, dpo)
	if err != nil || n != 2 {
		t.Fatalf("erased %d after 5 years: %v", n, err)
	}
	rep := f.Verify(register.VerifyOptions{})
	if rep.PersonalErased != 2 {
		t.Fatalf("report %+v", rep)
	}
	c, err = f.Store.Cases.Get(f.Ctx, dpo, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	if !c.PersonalErased || c.Requester.Name != "" || c.Identity != nil || c.Reason != procedure.ReasonAccess || len(c.Cameras) != 2 {
		t.Fatalf("case after erasure %+v", c)
	}
	var b bytes.Buffer
	if err := papers.New(f.Store).Sheet(f.Ctx, dpo, c.Number, &b, papers.PrintOptions{}); err != nil {
		t.Fatal(err)
	}
	text := proceduretest.PDFText(t, b.Bytes())
	proceduretest.WantText(t, text, c.Number, "effacé en fin de conservation")
	if strings.Contains(text, "Jean Dupont") {
		t.Fatal("erased name printed")
	}
	// Nor does it stay on disk, in free pages or in the write-ahead log
	// (R-REG-4, R-RET-1; issue 16).
	for _, name := range []string{register.DBName, register.DBName + "-wal"} {
		b, err := os.ReadFile(filepath.Join(f.Dir, name))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("Jean Dupont")) {
			t.Errorf("the erased name is still in %s", name)
		}
	}
}

// An insider who moves a document's retention date earlier in the
// database does not get it erased early by the DPO's routine erasure, and
// verify names the change (R-REG-4, R-RET-1; issue 16).
func TestMovedRetentionDate(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(procedure.ReasonJudicial)
	if _, err := f.Store.Delivery.AttachRequisition(f.Ctx, f.Op, c.Number, "réquisition.png", proceduretest.ScanPNG(t, 0x40)); err != nil {
		t.Fatal(err)
	}
	db := proceduretest.RawDB(t, f.Dir)
	if _, err := db.Exec(`DROP TRIGGER attachments_erase_only`); err != nil {
		t.Fatal(err)
	}
	proceduretest.MustExec(t, db, `UPDATE attachments SET until = ?`, register.FormatTime(proceduretest.T0))
	proceduretest.MustExec(t, db, `UPDATE personal SET until = ?`, register.FormatTime(proceduretest.T0))
	f.Clock.Advance(365 * 24 * time.Hour)
	dpo := f.Login("dpo.leroy", proceduretest.DPOPW)
	if n, err := f.Store.Purges.ErasePersonal(f.Ctx, dpo); err != nil || n != 0 {
		t.Fatalf("erased %d items one year after: %v", n, err)
	}
	var erased int
	if err := db.QueryRow(`SELECT COUNT(*) FROM attachments WHERE data IS NULL`).Scan(&erased); err != nil || erased != 0 {
		t.Fatalf("%d attachments erased: %v", erased, err)
	}
	_, err := f.Store.Verify(f.Ctx, register.VerifyOptions{})
	if !errors.Is(err, register.ErrTampered) || !strings.Contains(err.Error(), "retention date") {
		t.Fatalf("verify after the change: %v", err)
	}
}
