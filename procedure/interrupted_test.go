//go:build linux

package procedure_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"mileo.tech/extract/export"
	"mileo.tech/extract/incident"
	"mileo.tech/extract/internal/demo/demotest"
	"mileo.tech/extract/internal/workdir"
	. "mileo.tech/extract/procedure"
	"mileo.tech/extract/procedure/proceduretest"
	"mileo.tech/extract/register"
	"mileo.tech/extract/vms/connect"
)

// killChildEnv makes TestKilledExportChild run: "dir|case|out|clock".
const killChildEnv = "MILEO_PROC_KILL_CHILD"

// TestKilledExportChild is not a test: it is the process the export test
// below kills. It opens the parent's register, logs in as the operator
// and exports the case, killing itself with SIGKILL at the export's first
// progress, as a crash or a closed window would end it.
func TestKilledExportChild(t *testing.T) {
	v := os.Getenv(killChildEnv)
	if v == "" {
		t.Skip("child process of TestKilledExportIsAnIncident")
	}
	p := strings.Split(v, "|")
	at, err := time.Parse(time.RFC3339Nano, p[3])
	if err != nil {
		t.Fatal(err)
	}
	s := proceduretest.Open(t, p[0], proceduretest.NewClock(at))
	op, err := s.Login(t.Context(), "o.martin", proceduretest.OpPW)
	if err != nil {
		t.Fatal(err)
	}
	src, err := connect.Open(t.Context(), "folder:"+demotest.Archive(t))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Cases.Export(t.Context(), op, p[1], ExportOptions{OutDir: p[2], Encrypt: true, Source: src,
		OnProgress: func(export.Progress) { syscall.Kill(os.Getpid(), syscall.SIGKILL) }})
	t.Fatalf("the export ended (%v) instead of being killed", err)
}

// An export killed in the middle (the window closed, the program killed,
// the computer stopped) leaves a start with no end: the next login on the
// computer records it once as an incident signed by the site key, the
// partial copy stays to purge, and the register verifies. An export still
// running in another process is not reported, and a second export of the
// same case is refused while it runs (R-REG-1, R-PRG-1; issue #20).
func TestKilledExportIsAnIncident(t *testing.T) {
	e := proceduretest.NewE2E(t)
	c := e.File(ReasonIncident, "entree")
	if _, err := e.Store.Cases.Authorize(e.Ctx, e.RS, c.Number, ""); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "export")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledExportChild$", "-test.v")
	cmd.Env = append(os.Environ(), killChildEnv+"="+strings.Join([]string{e.Dir, c.Number, out, e.Clock.Now().Format(time.RFC3339Nano)}, "|"))
	b, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the child was not killed: %v\n%s", err, b)
	}

	interrupted := func() []incident.Incident {
		t.Helper()
		all, err := e.Store.Incidents.List(e.Ctx, e.RS)
		if err != nil {
			t.Fatal(err)
		}
		var out []incident.Incident
		for _, in := range all {
			if in.Kind == incident.ExportInterrupted {
				out = append(out, in)
			}
		}
		return out
	}
	if got := interrupted(); len(got) != 0 {
		t.Fatalf("reported before any login: %+v", got)
	}
	e.Login("rs.bernard", proceduretest.RSPW)
	e.Login("o.martin", proceduretest.OpPW) // a second login reports nothing new
	got := interrupted()
	if len(got) != 1 || got[0].Case != c.Number || got[0].By != "system" || !strings.Contains(got[0].Detail, "interrompu") {
		t.Fatalf("interrupted exports: %+v", got)
	}
	due, err := e.Store.Purges.Due(e.Ctx, e.Op)
	if err != nil {
		t.Fatal(err)
	}
	var tracked bool
	for _, cp := range due {
		tracked = tracked || (cp.Case == c.Number && cp.Location == out)
	}
	if !tracked {
		t.Errorf("the partial copy in %s is not tracked for its purge: %+v", out, due)
	}
	e.Verify(register.VerifyOptions{})

	// The case exported again, normally: nothing more is reported. The
	// export records the cameras' display names and the source's, so that
	// paper shows them (issue #20: names everywhere).
	e.Export(e.Op, c.Number, ExportOptions{Encrypt: true, SourceName: "Archives du site"})
	e.Login("o.martin", proceduretest.OpPW)
	if got := interrupted(); len(got) != 1 {
		t.Fatalf("after a complete export: %+v", got)
	}
	if c, err = e.Store.Cases.Get(e.Ctx, e.Op, c.Number); err != nil {
		t.Fatal(err)
	}
	x := c.LastExport()
	if l := x.CameraLabel("entree"); l != "Entrée principale (entree)" || !strings.HasPrefix(x.Source, "Archives du site (folder ") {
		t.Errorf("recorded camera %q, source %q", l, x.Source)
	}

	// An export running in another process holds its lock: a login does
	// not call it interrupted, and the same case cannot be exported twice
	// at once.
	d := e.File(ReasonIncident, "entree")
	if _, err := e.Store.Cases.Authorize(e.Ctx, e.RS, d.Number, ""); err != nil {
		t.Fatal(err)
	}
	var second error
	e.Export(e.Op, d.Number, ExportOptions{Encrypt: true, OnProgress: func(export.Progress) {
		if second != nil {
			return
		}
		e.Login("rs.bernard", proceduretest.RSPW)
		_, second = e.Store.Cases.Export(e.Ctx, e.Op, d.Number, ExportOptions{OutDir: filepath.Join(t.TempDir(), "x"), Encrypt: true, Source: e.Src})
		if second == nil {
			second = errors.New("accepted")
		}
	}})
	if !errors.Is(second, register.ErrInvalid) || !strings.Contains(second.Error(), d.Number) {
		t.Errorf("a second export of a running case: %v", second)
	}
	if got := interrupted(); len(got) != 1 {
		t.Fatalf("a running export was reported as interrupted: %+v", got)
	}
	e.Verify(register.VerifyOptions{})
}

// A lock file left by a process that ended is not held; one held by this
// process is (the lock is per open file, as between processes).
func TestExportHold(t *testing.T) {
	p := filepath.Join(t.TempDir(), "export-X.lock")
	if held, err := workdir.Held(p); held || err != nil {
		t.Fatalf("absent file: %v %v", held, err)
	}
	h, err := workdir.HoldFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if held, err := workdir.Held(p); !held || err != nil {
		t.Fatalf("held file: %v %v", held, err)
	}
	if _, err := workdir.HoldFile(p); err == nil {
		t.Fatal("held twice")
	}
	h.Release()
	if held, _ := workdir.Held(p); held {
		t.Fatal("released file still held")
	}
}
