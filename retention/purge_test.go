package retention_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/internal/workdir"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/register"
	. "mileo.tech/extract/retention"
)

// R-PRG-4: removable media are inventoried and their destruction logged.
func TestMediaInventory(t *testing.T) {
	f := proceduretest.New(t)
	if _, err := f.Store.Media.Add(f.Ctx, f.Op, "USB-1", "floppy", ""); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("bad type: %v", err)
	}
	if _, err := f.Store.Media.Add(f.Ctx, f.Op, "USB-1", "usb", "clé 32 Go"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Store.Media.Add(f.Ctx, f.Op, "USB-1", "usb", ""); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := f.Store.Media.Add(f.Ctx, f.Admin, "USB-2", "usb", ""); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("admin adds media: %v", err)
	}
	if _, err := f.Store.Media.Destroy(f.Ctx, f.Op, "USB-1", ""); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("destroy without method: %v", err)
	}
	m, err := f.Store.Media.Destroy(f.Ctx, f.Op, "USB-1", "broyeur")
	if err != nil || m.Status != MediaDestroyed || m.Destroyed.By != "o.martin" {
		t.Fatalf("destroy: %+v %v", m, err)
	}
	if _, err := f.Store.Media.Destroy(f.Ctx, f.Op, "USB-1", "broyeur"); !errors.Is(err, register.ErrState) {
		t.Fatalf("second destruction: %v", err)
	}
	if _, err := f.Store.Media.Destroy(f.Ctx, f.Op, "USB-X", "broyeur"); !errors.Is(err, register.ErrNotFound) {
		t.Fatalf("unknown medium: %v", err)
	}
	ms, _ := f.Store.Media.List(f.Ctx, f.Admin)
	if len(ms) != 1 {
		t.Fatalf("media %+v", ms)
	}
}

// R-PRG-1, R-PRG-2, R-PRG-3: a service medium holding a temporary copy is
// tracked with its deadline (30 days for an external case), its purge is
// declared by the person who did it, and a destroyed medium leaves the
// inventory for good.
func TestMediaCopyPurge(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(procedure.ReasonInsurance)
	f.Store.Media.Add(f.Ctx, f.Op, "HDD-3", "hdd", "disque de duplication")
	cp, err := f.Store.Purges.Track(f.Ctx, f.Op, TrackInput{Case: c.Number, Kind: CopyMedia, MediaID: "HDD-3", Location: "disque de duplication"})
	if err != nil {
		t.Fatal(err)
	}
	if d := cp.Deadline.Sub(cp.Created).Round(time.Hour); d != PurgeDelay {
		t.Fatalf("deadline after %v", d)
	}
	m, _ := f.Store.Media.Get(f.Ctx, f.Store.ReadDB(), "HDD-3")
	if m.Status != MediaInUse {
		t.Fatalf("medium %s", m.Status)
	}
	if _, err := f.Store.Media.Destroy(f.Ctx, f.Op, "HDD-3", "x"); !errors.Is(err, register.ErrState) {
		t.Fatalf("destroying a medium in use: %v", err)
	}
	if _, err := f.Store.Purges.Track(f.Ctx, f.Op, TrackInput{Case: c.Number, Kind: CopyMedia, MediaID: "HDD-3"}); !errors.Is(err, register.ErrState) {
		t.Fatalf("second copy on a busy medium: %v", err)
	}
	if _, err := f.Store.Purges.Files(f.Ctx, f.Op, cp.ID); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("program purge of a medium: %v", err)
	}
	p, err := f.Store.Purges.Declare(f.Ctx, f.RS, cp.ID, PurgeDestroy)
	if err != nil || p.Purge.By != "rs.bernard" || p.Purge.Method != PurgeDestroy || p.Purge.Standard != "NIST SP 800-88 Rev. 1 — Destroy" {
		t.Fatalf("declared purge: %+v %v", p, err)
	}
	m, _ = f.Store.Media.Get(f.Ctx, f.Store.ReadDB(), "HDD-3")
	if m.Status != MediaDestroyed {
		t.Fatalf("medium %s after physical destruction", m.Status)
	}
	f.Verify(register.VerifyOptions{})
}

// R-PRG-2: overdue purges are shown to everyone and become one incident
// each; R-PRG-3: a folder the program controls is purged and checked.
func TestOverduePurgeAndProgramPurge(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(procedure.ReasonIncident) // internal: 48 h
	dir := filepath.Join(t.TempDir(), "copie")
	os.MkdirAll(filepath.Join(dir, "sub"), 0o700)
	os.WriteFile(filepath.Join(dir, "video-01.mp4"), []byte("images"), 0o600)
	os.WriteFile(filepath.Join(dir, "sub", "manifest.json"), []byte("{}"), 0o600)
	cp, err := f.Store.Purges.Track(f.Ctx, f.Op, TrackInput{Case: c.Number, Kind: CopyExport, Location: dir})
	if err != nil {
		t.Fatal(err)
	}
	if d := cp.Deadline.Sub(cp.Created).Round(time.Minute); d != InternalPurgeDelay {
		t.Fatalf("internal deadline after %v", d)
	}
	f.Clock.Advance(47 * time.Hour)
	if o, _ := f.Store.Purges.CheckOverdue(f.Ctx); len(o) != 0 {
		t.Fatal("overdue too early")
	}
	f.Clock.Advance(2 * time.Hour)
	for i := 0; i < 3; i++ {
		o, err := f.Store.Purges.CheckOverdue(f.Ctx)
		if err != nil || len(o) != 1 {
			t.Fatalf("overdue %v %v", o, err)
		}
	}
	// Login shows them too (CheckOverdue runs at every login).
	if _, err := f.Store.Login(f.Ctx, "admin", proceduretest.AdminPW); err != nil {
		t.Fatal(err)
	}
	if f.CountActions("incident") != 1 {
		t.Fatal("overdue incident not recorded exactly once")
	}
	// A folder no export of the program wrote is never purged by the
	// program: its files are not known (R-PRG-3 rev.). It is purged by hand
	// and declared.
	if _, err := f.Store.Purges.Files(f.Ctx, f.Op, cp.ID); !errors.Is(err, register.ErrState) {
		t.Fatalf("purge of unknown files: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "sub", "manifest.json")); err != nil {
		t.Fatalf("a file the program did not write was touched: %v", err)
	}
	p, err := f.Store.Purges.Declare(f.Ctx, f.Op, cp.ID, PurgeOverwrite)
	if err != nil || p.Purge == nil {
		t.Fatalf("declared purge %+v %v", p, err)
	}
	if o, _ := f.Store.Purges.CheckOverdue(f.Ctx); len(o) != 0 {
		t.Fatal("purged copy still overdue")
	}
	f.Verify(register.VerifyOptions{})
}

// A purge removes exactly the files the export wrote, checked by name and
// SHA-256: a file beside them survives, a file changed since the export is
// kept and named, the folder goes only when empty; and an export never goes
// into the data folder (R-PRG-3 rev.; issue 15).
func TestPurgeOnlyTrackedFiles(t *testing.T) {
	e := proceduretest.NewE2E(t)
	c := e.File(procedure.ReasonIncident, "entree")
	if _, err := e.Store.Cases.Authorize(e.Ctx, e.RS, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.Cases.Export(e.Ctx, e.Op, c.Number, procedure.ExportOptions{Source: e.Src, OutDir: filepath.Join(e.Dir, "exports"), Encrypt: true}); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("export into the data folder: %v", err)
	}
	out := filepath.Join(t.TempDir(), "export")
	e.Export(e.Op, c.Number, procedure.ExportOptions{OutDir: out, Encrypt: true})
	canary := filepath.Join(out, "..", "canary.txt")
	if err := os.WriteFile(canary, []byte("not ours"), 0o600); err != nil {
		t.Fatal(err)
	}
	beside := filepath.Join(out, "notes.txt")
	if err := os.WriteFile(beside, []byte("the operator's own notes"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := e.Store.Cases.Get(e.Ctx, e.Op, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	ex := c.LastExport()
	if len(ex.Written) == 0 {
		t.Fatal("the export's files are not recorded")
	}
	p, err := e.Store.Purges.Files(e.Ctx, e.Op, ex.CopyID)
	if err != nil || p.Purge.Files != len(ex.Written) {
		t.Fatalf("purge %+v: %v (written %d)", p, err, len(ex.Written))
	}
	// R-PRG-3 (rev.): the method recorded names the standard it meets.
	if !strings.HasPrefix(p.Purge.Standard, "NIST SP 800-88 Rev. 1 — Clear") || !strings.Contains(p.Purge.Standard, "DoD 5220.22-M") {
		t.Fatalf("standard %q", p.Purge.Standard)
	}
	for _, w := range ex.Written {
		if _, err := os.Stat(filepath.Join(out, w.Name)); !os.IsNotExist(err) {
			t.Errorf("%s survived the purge: %v", w.Name, err)
		}
	}
	for _, f := range []string{canary, beside} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("the purge touched %s: %v", f, err)
		}
	}
	e.Verify(register.VerifyOptions{})

	// A file changed since the export is kept and named.
	c2 := e.File(procedure.ReasonIncident, "entree")
	if _, err := e.Store.Cases.Authorize(e.Ctx, e.RS, c2.Number, ""); err != nil {
		t.Fatal(err)
	}
	out2 := filepath.Join(t.TempDir(), "export2")
	e.Export(e.Op, c2.Number, procedure.ExportOptions{OutDir: out2, Encrypt: true})
	c2, _ = e.Store.Cases.Get(e.Ctx, e.Op, c2.Number)
	ex2 := c2.LastExport()
	changed := filepath.Join(out2, ex2.Written[0].Name)
	if err := os.WriteFile(changed, []byte("replaced"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.Purges.Files(e.Ctx, e.Op, ex2.CopyID); !errors.Is(err, register.ErrState) || !strings.Contains(err.Error(), ex2.Written[0].Name) {
		t.Fatalf("purge with a changed file: %v", err)
	}
	if b, _ := os.ReadFile(changed); string(b) != "replaced" {
		t.Fatal("the changed file was touched")
	}
}

// R-PRG-3: working folders crypto-erased at start-up are recorded and the
// tracked ones marked purged.
func TestRecordSweep(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(procedure.ReasonInsurance)
	wd := filepath.Join(t.TempDir(), "mileo-work-123")
	cp, err := f.Store.Purges.Track(f.Ctx, f.Op, TrackInput{Case: c.Number, Kind: CopyWorkdir, Location: wd})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Store.Purges.RecordSweep(f.Ctx, []string{wd, "/tmp/mileo-work-other"}); err != nil {
		t.Fatal(err)
	}
	cs, err := f.Store.Purges.Copies(f.Ctx, f.Op)
	if err != nil || len(cs) != 1 || cs[0].ID != cp.ID {
		t.Fatalf("copies %+v %v", cs, err)
	}
	p := cs[0]
	if p.Purge == nil || p.Purge.Method != PurgeCryptoErase || p.Purge.By != register.SystemActor {
		t.Fatalf("sweep did not purge the copy: %+v", p.Purge)
	}
	f.Verify(register.VerifyOptions{})
}

// R-PRG-3: the working folder of a review, crypto-erased by its owner at
// logout, is recorded as purged by that user, once its folder is gone.
func TestPurgeWorkdir(t *testing.T) {
	f := proceduretest.New(t)
	c := f.NewCase(procedure.ReasonAccess)
	wd, err := workdir.New(f.Store.Purges.WorkDir())
	if err != nil {
		t.Fatal(err)
	}
	cp, err := f.Store.Purges.Track(f.Ctx, f.Op, TrackInput{Case: c.Number, Kind: CopyWorkdir, Location: wd.Path()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Store.Purges.Workdir(f.Ctx, f.Op, cp.ID); err == nil {
		t.Fatal("a folder still on disk was recorded as purged")
	}
	if err := wd.Erase(); err != nil {
		t.Fatal(err)
	}
	p, err := f.Store.Purges.Workdir(f.Ctx, f.Op, cp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Purge == nil || p.Purge.Method != PurgeCryptoErase || p.Purge.By == register.SystemActor {
		t.Fatalf("purge %+v", p.Purge)
	}
	if _, err := f.Store.Purges.Workdir(f.Ctx, f.Op, cp.ID); err == nil {
		t.Fatal("purged twice")
	}
	f.Verify(register.VerifyOptions{})
}

// R-PRG-3: the clear folders of earlier versions (the player's "preview",
// review folders "work/<case>") are deleted at start-up and recorded;
// working folders in use are left alone.
func TestSweepClearFolders(t *testing.T) {
	f := proceduretest.New(t)
	live, err := workdir.New(f.Store.Purges.WorkDir())
	if err != nil {
		t.Fatal(err)
	}
	defer live.Erase()
	old := []string{filepath.Join(f.Store.Dir(), "preview"), filepath.Join(f.Store.Purges.WorkDir(), "EXT-2026-0001")}
	for _, d := range old {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "cam.mp4"), []byte("faces in clear"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	gone, err := f.Store.Purges.SweepWorkdirs(f.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(gone) != 2 {
		t.Errorf("swept %v, want the two clear folders", gone)
	}
	for _, d := range old {
		if _, err := os.Stat(d); !os.IsNotExist(err) {
			t.Errorf("%s still there: %v", d, err)
		}
	}
	if _, err := os.Stat(live.Path()); err != nil {
		t.Errorf("working folder in use removed: %v", err)
	}
	rows, err := f.Store.ReadDB().Query(`SELECT ` + register.EntryCols + ` FROM entries WHERE action = 'workdir.sweep'`)
	if err != nil {
		t.Fatal(err)
	}
	sweeps, err := register.ScanEntries(rows)
	if err != nil {
		t.Fatal(err)
	}
	var d SweepData
	if len(sweeps) != 1 || sweeps[0].Decode(&d) != nil || len(d.Removed) != 2 || len(d.Erased) != 0 {
		t.Fatalf("sweep not recorded: %+v", sweeps)
	}
	if gone, err := f.Store.Purges.SweepWorkdirs(f.Ctx); err != nil || len(gone) != 0 {
		t.Errorf("second sweep: %v %v", gone, err)
	}
	f.Verify(register.VerifyOptions{})
}

// Within decides what is inside the data folder (R-PRG-3).
func TestWithin(t *testing.T) {
	for _, tc := range []struct {
		path, dir string
		want      bool
	}{
		{"/data", "/data", true},
		{"/data/exports/x", "/data", true},
		{"/data-exports/x", "/data", false},
		{"/other", "/data", false},
		{"/data/../data2", "/data", false},
		{"/", "/data", false},
	} {
		if got := Within(filepath.Clean(tc.path), tc.dir); got != tc.want {
			t.Errorf("Within(%q, %q) = %v", tc.path, tc.dir, got)
		}
	}
}
