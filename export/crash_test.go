//go:build linux

package export_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"mileo.tech/extract/export"
	"mileo.tech/extract/internal/demo/demotest"
	"mileo.tech/extract/vms"
)

// childEnv selects what TestExportChild does in a child process.
const childEnv = "MILEO_EXPORT_CHILD"

// childReport is what TestExportChild prints.
type childReport struct {
	DiskFull bool
	Free     int64
	Needed   int64
	Err      string
	Files    int
}

// TestExportChild is not a test: it is the child process of the fault
// tests below, started with childEnv set. It runs one export described by
// its environment and prints a childReport.
func TestExportChild(t *testing.T) {
	mode := os.Getenv(childEnv)
	if mode == "" {
		t.Skip("child process of the fault tests")
	}
	out := os.Getenv("MILEO_EXPORT_OUT")
	job := export.Job{Source: source(t, os.Getenv("MILEO_EXPORT_SRC")), OutDir: out, WorkDir: os.Getenv("MILEO_EXPORT_WORK"),
		Cameras: strings.Split(os.Getenv("MILEO_EXPORT_CAMERAS"), ","), Range: vms.Range{Start: at(8, 0, 0), End: at(8, 3, 0)},
		Encrypt: os.Getenv("MILEO_EXPORT_ENCRYPT") != ""}
	switch mode {
	case "fsize":
		// Every file this process writes is limited: past the limit a
		// write fails with EFBIG, as on a full disk (SIGXFSZ is ignored).
		limit, _ := strconv.ParseUint(os.Getenv("MILEO_EXPORT_FSIZE"), 10, 64)
		signal.Ignore(syscall.SIGXFSZ)
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: limit, Max: limit}); err != nil {
			t.Fatal(err)
		}
	case "kill":
		stage := os.Getenv("MILEO_EXPORT_STAGE")
		pct, _ := strconv.ParseInt(os.Getenv("MILEO_EXPORT_PCT"), 10, 64)
		job.OnProgress = func(p export.Progress) {
			if p.Stage == stage && p.Total > 0 && p.Done*100 >= pct*p.Total {
				syscall.Kill(os.Getpid(), syscall.SIGKILL)
			}
		}
	}
	res, err := export.Run(context.Background(), job)
	var rep childReport
	if err != nil {
		rep.Err = err.Error()
	}
	var dfe *export.DiskFullError
	if errors.As(err, &dfe) {
		rep.DiskFull, rep.Free, rep.Needed = errors.Is(err, export.ErrDiskFull), dfe.Free, dfe.Needed
	}
	if res != nil {
		rep.Files = len(res.Files)
	}
	b, _ := json.Marshal(rep)
	fmt.Printf("REPORT %s\n", b)
}

// child runs TestExportChild with env and returns its report (nil when it
// was killed) and its output.
func child(t *testing.T, env ...string) (*childReport, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestExportChild$", "-test.v")
	cmd.Env = append(os.Environ(), env...)
	out, _ := cmd.CombinedOutput()
	for _, l := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(l, "REPORT "); ok {
			var rep childReport
			if err := json.Unmarshal([]byte(rest), &rep); err != nil {
				t.Fatal(err)
			}
			return &rep, string(out)
		}
	}
	return nil, string(out)
}

// finals lists the files of dir under a final name (not .part).
func finals(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".part") {
			out = append(out, e.Name())
		}
	}
	return out
}

// R-EXP-3 (rev.): a full disk is reported as such (ErrDiskFull, with the
// free space and an estimate of what was needed), the camera being written
// leaves nothing behind, and what was delivered before keeps its manifest.
// The disk fills up for real in a child process limited by RLIMIT_FSIZE.
func TestDiskFull(t *testing.T) {
	src := demotest.Archive(t)
	out := t.TempDir()
	// parking (≈ 0.6 MB for 3 min) fits under 1.5 MB; entree (≈ 13 MB) does not.
	rep, log := child(t, childEnv+"=fsize", "MILEO_EXPORT_FSIZE=1500000", "MILEO_EXPORT_SRC="+src, "MILEO_EXPORT_OUT="+out,
		"MILEO_EXPORT_CAMERAS=parking,entree")
	if rep == nil {
		t.Fatalf("the child died:\n%s", log)
	}
	t.Logf("child: %s", rep.Err)
	if !rep.DiskFull {
		t.Fatalf("error %q, want ErrDiskFull\n%s", rep.Err, log)
	}
	if rep.Free < 0 || rep.Needed < 13_000_000 {
		t.Errorf("free %d, needed %d: want the free space and about 13 MB needed", rep.Free, rep.Needed)
	}
	noPartial(t, out)
	got := strings.Join(finals(t, out), " ")
	if got != "manifest.json manifest.txt video-01.mp4" {
		t.Errorf("output folder holds %q, want the delivered camera and its manifest only", got)
	}
	var m struct {
		Complete bool
		Files    []struct{ Name string }
	}
	b, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err := json.Unmarshal(b, &m); err != nil || m.Complete || len(m.Files) != 1 {
		t.Errorf("manifest.json: %v %s", err, b)
	}

	// Encrypted: the working copies fill the disk; nothing is delivered.
	out, work := t.TempDir(), t.TempDir()
	rep, log = child(t, childEnv+"=fsize", "MILEO_EXPORT_FSIZE=1500000", "MILEO_EXPORT_SRC="+src, "MILEO_EXPORT_OUT="+out,
		"MILEO_EXPORT_WORK="+work, "MILEO_EXPORT_CAMERAS=parking,entree", "MILEO_EXPORT_ENCRYPT=1")
	if rep == nil || !rep.DiskFull || rep.Files != 0 {
		t.Fatalf("encrypted: %+v, want ErrDiskFull and no file\n%s", rep, log)
	}
	if f := finals(t, out); len(f) != 0 {
		t.Errorf("encrypted: %v left in the output folder", f)
	}
	noPartial(t, out)
}

// R-EXP-3 (rev.): an export killed at 20, 50 or 90 % of its work leaves no
// file under a final name; the next export into the same folder sweeps the
// partial files and succeeds.
func TestKilledExportLeavesNoFinalFile(t *testing.T) {
	src := demotest.Archive(t)
	for _, tc := range []struct {
		stage   string
		pct     int
		encrypt bool
	}{
		{"remux", 20, false}, {"remux", 50, false}, {"remux", 90, false}, {"verify", 90, false},
		{"remux", 50, true}, {"encrypt", 90, true},
	} {
		t.Run(fmt.Sprintf("%s-%d-encrypt-%v", tc.stage, tc.pct, tc.encrypt), func(t *testing.T) {
			out, work := t.TempDir(), t.TempDir()
			env := []string{childEnv + "=kill", "MILEO_EXPORT_STAGE=" + tc.stage, "MILEO_EXPORT_PCT=" + strconv.Itoa(tc.pct),
				"MILEO_EXPORT_SRC=" + src, "MILEO_EXPORT_OUT=" + out, "MILEO_EXPORT_WORK=" + work, "MILEO_EXPORT_CAMERAS=entree,parking"}
			if tc.encrypt {
				env = append(env, "MILEO_EXPORT_ENCRYPT=1")
			}
			if rep, log := child(t, env...); rep != nil {
				t.Fatalf("the child was not killed at %s %d %%:\n%s", tc.stage, tc.pct, log)
			}
			if f := finals(t, out); len(f) != 0 {
				t.Fatalf("a killed export left %v under final names", f)
			}
			if ents, _ := os.ReadDir(out); len(ents) == 0 && (!tc.encrypt || tc.stage == "encrypt") {
				t.Fatal("the kill left no partial file: the sweep is not exercised")
			}
			res, err := export.Run(context.Background(), export.Job{Source: source(t, src), OutDir: out, WorkDir: work,
				Cameras: []string{"entree", "parking"}, Range: vms.Range{Start: at(8, 0, 0), End: at(8, 3, 0)}, Encrypt: tc.encrypt})
			if err != nil || !res.Complete {
				t.Fatalf("the export after the kill: %v", err)
			}
			noPartial(t, out)
		})
	}
}
