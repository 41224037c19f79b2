package procedure

import (
	"errors"
	"mileo.tech/extract/register"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/internal/workdir"
)

// R-PRG-4: removable media are inventoried and their destruction logged.
func TestMediaInventory(t *testing.T) {
	f := newFixture(t)
	if _, err := f.s.Media.Add(f.ctx, f.op, "USB-1", "floppy", ""); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("bad type: %v", err)
	}
	if _, err := f.s.Media.Add(f.ctx, f.op, "USB-1", "usb", "clé 32 Go"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Media.Add(f.ctx, f.op, "USB-1", "usb", ""); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := f.s.Media.Add(f.ctx, f.admin, "USB-2", "usb", ""); !errors.Is(err, register.ErrForbidden) {
		t.Fatalf("admin adds media: %v", err)
	}
	if _, err := f.s.Media.Destroy(f.ctx, f.op, "USB-1", ""); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("destroy without method: %v", err)
	}
	m, err := f.s.Media.Destroy(f.ctx, f.op, "USB-1", "broyeur")
	if err != nil || m.Status != MediaDestroyed || m.Destroyed.By != "o.martin" {
		t.Fatalf("destroy: %+v %v", m, err)
	}
	if _, err := f.s.Media.Destroy(f.ctx, f.op, "USB-1", "broyeur"); !errors.Is(err, register.ErrState) {
		t.Fatalf("second destruction: %v", err)
	}
	if _, err := f.s.Media.Destroy(f.ctx, f.op, "USB-X", "broyeur"); !errors.Is(err, register.ErrNotFound) {
		t.Fatalf("unknown medium: %v", err)
	}
	ms, _ := f.s.Media.List(f.ctx, f.admin)
	if len(ms) != 1 {
		t.Fatalf("media %+v", ms)
	}
}

// R-PRG-1, R-PRG-2, R-PRG-3: a service medium holding a temporary copy is
// tracked with its deadline (30 days for an external case), its purge is
// declared by the person who did it, and a destroyed medium leaves the
// inventory for good.
func TestMediaCopyPurge(t *testing.T) {
	f := newFixture(t)
	c := f.newCase(ReasonInsurance)
	f.s.Media.Add(f.ctx, f.op, "HDD-3", "hdd", "disque de duplication")
	cp, err := f.s.Purges.Track(f.ctx, f.op, TrackInput{Case: c.Number, Kind: CopyMedia, MediaID: "HDD-3", Location: "disque de duplication"})
	if err != nil {
		t.Fatal(err)
	}
	if d := cp.Deadline.Sub(cp.Created).Round(time.Hour); d != PurgeDelay {
		t.Fatalf("deadline after %v", d)
	}
	m, _ := f.s.medium(f.ctx, f.s.ReadDB(), "HDD-3")
	if m.Status != MediaInUse {
		t.Fatalf("medium %s", m.Status)
	}
	if _, err := f.s.Media.Destroy(f.ctx, f.op, "HDD-3", "x"); !errors.Is(err, register.ErrState) {
		t.Fatalf("destroying a medium in use: %v", err)
	}
	if _, err := f.s.Purges.Track(f.ctx, f.op, TrackInput{Case: c.Number, Kind: CopyMedia, MediaID: "HDD-3"}); !errors.Is(err, register.ErrState) {
		t.Fatalf("second copy on a busy medium: %v", err)
	}
	if _, err := f.s.Purges.Files(f.ctx, f.op, cp.ID); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("program purge of a medium: %v", err)
	}
	p, err := f.s.Purges.Declare(f.ctx, f.rs, cp.ID, PurgeDestroy)
	if err != nil || p.Purge.By != "rs.bernard" || p.Purge.Method != PurgeDestroy {
		t.Fatalf("declared purge: %+v %v", p, err)
	}
	m, _ = f.s.medium(f.ctx, f.s.ReadDB(), "HDD-3")
	if m.Status != MediaDestroyed {
		t.Fatalf("medium %s after physical destruction", m.Status)
	}
	f.verify(register.VerifyOptions{})
}

// R-PRG-2: overdue purges are shown to everyone and become one incident
// each; R-PRG-3: a folder the program controls is purged and checked.
func TestOverduePurgeAndProgramPurge(t *testing.T) {
	f := newFixture(t)
	c := f.newCase(ReasonIncident) // internal: 48 h
	dir := filepath.Join(t.TempDir(), "copie")
	os.MkdirAll(filepath.Join(dir, "sub"), 0o700)
	os.WriteFile(filepath.Join(dir, "video-01.mp4"), []byte("images"), 0o600)
	os.WriteFile(filepath.Join(dir, "sub", "manifest.json"), []byte("{}"), 0o600)
	cp, err := f.s.Purges.Track(f.ctx, f.op, TrackInput{Case: c.Number, Kind: CopyExport, Location: dir})
	if err != nil {
		t.Fatal(err)
	}
	if d := cp.Deadline.Sub(cp.Created).Round(time.Minute); d != InternalPurgeDelay {
		t.Fatalf("internal deadline after %v", d)
	}
	f.clock.Advance(47 * time.Hour)
	if o, _ := f.s.Purges.CheckOverdue(f.ctx); len(o) != 0 {
		t.Fatal("overdue too early")
	}
	f.clock.Advance(2 * time.Hour)
	for i := 0; i < 3; i++ {
		o, err := f.s.Purges.CheckOverdue(f.ctx)
		if err != nil || len(o) != 1 {
			t.Fatalf("overdue %v %v", o, err)
		}
	}
	// Login shows them too (CheckOverdue runs at every login).
	if _, err := f.s.Login(f.ctx, "admin", adminPW); err != nil {
		t.Fatal(err)
	}
	if countActions(t, f, "incident") != 1 {
		t.Fatal("overdue incident not recorded exactly once")
	}
	// A folder no export of the program wrote is never purged by the
	// program: its files are not known (R-PRG-3 rev.). It is purged by hand
	// and declared.
	if _, err := f.s.Purges.Files(f.ctx, f.op, cp.ID); !errors.Is(err, register.ErrState) {
		t.Fatalf("purge of unknown files: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "sub", "manifest.json")); err != nil {
		t.Fatalf("a file the program did not write was touched: %v", err)
	}
	p, err := f.s.Purges.Declare(f.ctx, f.op, cp.ID, PurgeOverwrite)
	if err != nil || p.Purge == nil {
		t.Fatalf("declared purge %+v %v", p, err)
	}
	if o, _ := f.s.Purges.CheckOverdue(f.ctx); len(o) != 0 {
		t.Fatal("purged copy still overdue")
	}
	f.verify(register.VerifyOptions{})
}

// A purge removes exactly the files the export wrote, checked by name and
// SHA-256: a file beside them survives, a file changed since the export is
// kept and named, the folder goes only when empty; and an export never goes
// into the data folder (R-PRG-3 rev.; issue 15).
func TestPurgeOnlyTrackedFiles(t *testing.T) {
	e := newE2E(t)
	c := e.file(ReasonIncident, "entree")
	if _, err := e.s.Cases.Authorize(e.ctx, e.rs, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Cases.Export(e.ctx, e.op, c.Number, ExportOptions{Source: e.src, OutDir: filepath.Join(e.dir, "exports"), Encrypt: true}); !errors.Is(err, register.ErrInvalid) {
		t.Fatalf("export into the data folder: %v", err)
	}
	out := filepath.Join(t.TempDir(), "export")
	e.export(e.op, c.Number, ExportOptions{OutDir: out, Encrypt: true})
	canary := filepath.Join(out, "..", "canary.txt")
	if err := os.WriteFile(canary, []byte("not ours"), 0o600); err != nil {
		t.Fatal(err)
	}
	beside := filepath.Join(out, "notes.txt")
	if err := os.WriteFile(beside, []byte("the operator's own notes"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := e.s.Cases.Get(e.ctx, e.op, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	ex := c.LastExport()
	if len(ex.Written) == 0 {
		t.Fatal("the export's files are not recorded")
	}
	p, err := e.s.Purges.Files(e.ctx, e.op, ex.CopyID)
	if err != nil || p.Purge.Files != len(ex.Written) {
		t.Fatalf("purge %+v: %v (written %d)", p, err, len(ex.Written))
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
	e.verify(register.VerifyOptions{})

	// A file changed since the export is kept and named.
	c2 := e.file(ReasonIncident, "entree")
	if _, err := e.s.Cases.Authorize(e.ctx, e.rs, c2.Number, ""); err != nil {
		t.Fatal(err)
	}
	out2 := filepath.Join(t.TempDir(), "export2")
	e.export(e.op, c2.Number, ExportOptions{OutDir: out2, Encrypt: true})
	c2, _ = e.s.Cases.Get(e.ctx, e.op, c2.Number)
	ex2 := c2.LastExport()
	changed := filepath.Join(out2, ex2.Written[0].Name)
	if err := os.WriteFile(changed, []byte("replaced"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Purges.Files(e.ctx, e.op, ex2.CopyID); !errors.Is(err, register.ErrState) || !strings.Contains(err.Error(), ex2.Written[0].Name) {
		t.Fatalf("purge with a changed file: %v", err)
	}
	if b, _ := os.ReadFile(changed); string(b) != "replaced" {
		t.Fatal("the changed file was touched")
	}
}

// R-PRG-3: working folders crypto-erased at start-up are recorded and the
// tracked ones marked purged.
func TestRecordSweep(t *testing.T) {
	f := newFixture(t)
	c := f.newCase(ReasonInsurance)
	wd := filepath.Join(t.TempDir(), "mileo-work-123")
	cp, err := f.s.Purges.Track(f.ctx, f.op, TrackInput{Case: c.Number, Kind: CopyWorkdir, Location: wd})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.Purges.RecordSweep(f.ctx, []string{wd, "/tmp/mileo-work-other"}); err != nil {
		t.Fatal(err)
	}
	p, _ := f.s.copy(f.ctx, f.s.ReadDB(), cp.ID)
	if p.Purge == nil || p.Purge.Method != PurgeCryptoErase || p.Purge.By != register.SystemActor {
		t.Fatalf("sweep did not purge the copy: %+v", p.Purge)
	}
	f.verify(register.VerifyOptions{})
}

// R-PRG-3: the working folder of a review, crypto-erased by its owner at
// logout, is recorded as purged by that user, once its folder is gone.
func TestPurgeWorkdir(t *testing.T) {
	f := newFixture(t)
	c := f.newCase(ReasonAccess)
	wd, err := workdir.New(f.s.Purges.WorkDir())
	if err != nil {
		t.Fatal(err)
	}
	cp, err := f.s.Purges.Track(f.ctx, f.op, TrackInput{Case: c.Number, Kind: CopyWorkdir, Location: wd.Path()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Purges.Workdir(f.ctx, f.op, cp.ID); err == nil {
		t.Fatal("a folder still on disk was recorded as purged")
	}
	if err := wd.Erase(); err != nil {
		t.Fatal(err)
	}
	p, err := f.s.Purges.Workdir(f.ctx, f.op, cp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Purge == nil || p.Purge.Method != PurgeCryptoErase || p.Purge.By == register.SystemActor {
		t.Fatalf("purge %+v", p.Purge)
	}
	if _, err := f.s.Purges.Workdir(f.ctx, f.op, cp.ID); err == nil {
		t.Fatal("purged twice")
	}
	f.verify(register.VerifyOptions{})
}

// R-PRG-3: the clear folders of earlier versions (the player's "preview",
// review folders "work/<case>") are deleted at start-up and recorded;
// working folders in use are left alone.
func TestSweepClearFolders(t *testing.T) {
	f := newFixture(t)
	live, err := workdir.New(f.s.Purges.WorkDir())
	if err != nil {
		t.Fatal(err)
	}
	defer live.Erase()
	old := []string{filepath.Join(f.s.Dir(), "preview"), filepath.Join(f.s.Purges.WorkDir(), "EXT-2026-0001")}
	for _, d := range old {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "cam.mp4"), []byte("faces in clear"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	gone, err := f.s.Purges.SweepWorkdirs(f.ctx)
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
	all, err := f.s.Papers.Entries(f.ctx, f.dpo)
	if err != nil {
		t.Fatal(err)
	}
	var sweeps []*register.Entry
	for _, e := range all {
		if e.Action == "workdir.sweep" {
			sweeps = append(sweeps, e)
		}
	}
	var d sweepData
	if len(sweeps) != 1 || sweeps[0].Decode(&d) != nil || len(d.Removed) != 2 || len(d.Erased) != 0 {
		t.Fatalf("sweep not recorded: %+v", sweeps)
	}
	if gone, err := f.s.Purges.SweepWorkdirs(f.ctx); err != nil || len(gone) != 0 {
		t.Errorf("second sweep: %v %v", gone, err)
	}
	f.verify(register.VerifyOptions{})
}

// within decides what is inside the data folder (R-PRG-3).
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
		if got := within(filepath.Clean(tc.path), tc.dir); got != tc.want {
			t.Errorf("within(%q, %q) = %v", tc.path, tc.dir, got)
		}
	}
}
