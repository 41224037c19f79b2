package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/internal/demo/demotest"
)

func testEnv() (*Env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, Now: time.Now}, &out, &errb
}

// The free export of earlier versions is closed (issue #15, door 1):
// whatever its arguments, `export` writes nothing, says in French that
// footage leaves only through an authorized case and points to
// `case export`; the help no longer lists it. Footage taken without a
// case, a trace or encryption is what R-AUTH-1, R-ACC-1, R-ENC-1, R-REG-1
// and R-MIN-1 forbid.
func TestExportDoorClosed(t *testing.T) {
	src := "folder:" + demotest.Archive(t)
	for _, args := range [][]string{
		{"export", "--source", src, "--camera", "entree", "--from", "2026-11-23T08:00:00Z", "--to", "2026-11-23T08:00:10Z", "--out"},
		{"export", "--source", src, "--camera", "entree", "--from", "2026-11-23T08:00:00Z", "--to", "2026-11-23T08:00:10Z", "--encrypt", "--case", "EXT-2026-0001", "--out"},
		{"export", "--out"},
	} {
		out := filepath.Join(t.TempDir(), "out")
		env, stdout, errb := testEnv()
		code := Main(context.Background(), env, append(args, out))
		if code != 1 {
			t.Fatalf("%v: exit %d, want 1\n%s%s", args, code, stdout, errb)
		}
		msg := errb.String()
		if !strings.HasPrefix(msg, "mileo-extract export: ") || strings.Count(strings.TrimSpace(msg), "\n") != 0 {
			t.Errorf("the refusal is not one line of the command: %q", msg)
		}
		for _, w := range []string{"dossier autorisé", "mileo-extract case export", "R-AUTH-1", "R-ENC-1"} {
			if !strings.Contains(msg, w) {
				t.Errorf("the refusal lacks %q: %s", w, msg)
			}
		}
		if stdout.Len() != 0 {
			t.Errorf("stdout: %s", stdout)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("the closed export created %s: %v", out, err)
		}
	}
	env, stdout, _ := testEnv()
	Main(context.Background(), env, []string{"help"})
	if strings.Contains(stdout.String(), "  export ") {
		t.Errorf("help lists the free export:\n%s", stdout)
	}
}

func TestRecordingsAndCameras(t *testing.T) {
	src := "folder:" + demotest.Archive(t)
	env, out, _ := testEnv()
	if code := Main(context.Background(), env, []string{"cameras", "--source", src}); code != 0 || !strings.Contains(out.String(), "Entrée principale") {
		t.Fatalf("cameras: %d %s", code, out)
	}
	env, out, _ = testEnv()
	if code := Main(context.Background(), env, []string{"recordings", "--source", src, "--camera", "caisses", "--from", "2026-11-23T08:00:00Z", "--to", "2026-11-23T08:03:00Z"}); code != 0 {
		t.Fatal(code)
	}
	var r struct{ Spans, Gaps []json.RawMessage }
	if err := json.Unmarshal(out.Bytes(), &r); err != nil || len(r.Spans) != 2 || len(r.Gaps) != 1 {
		t.Errorf("recordings: %s", out)
	}
}
