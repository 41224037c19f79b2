package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/internal/demo/demotest"
)

func testEnv() (*Env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, Now: time.Now}, &out, &errb
}

// The export command prints a JSON summary and exits 0 when complete, 3
// with gaps, 1 on error, 2 on a usage error (R-EXP-3).
func TestExportExitCodes(t *testing.T) {
	src := "folder:" + demotest.Archive(t)
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"complete", []string{"--camera", "entree", "--from", "2026-11-23T08:00:00Z", "--to", "2026-11-23T08:00:10Z"}, 0},
		{"with gaps", []string{"--camera", "caisses", "--from", "2026-11-23T08:01:00Z", "--to", "2026-11-23T08:02:00Z"}, 3},
		{"unknown camera", []string{"--camera", "nope", "--from", "2026-11-23T08:00:00Z", "--to", "2026-11-23T08:00:10Z"}, 1},
		{"bad time", []string{"--camera", "entree", "--from", "yesterday", "--to", "2026-11-23T08:00:10Z"}, 2},
		{"encrypted", []string{"--camera", "entree", "--from", "2026-11-23T08:00:00Z", "--to", "2026-11-23T08:00:05Z", "--encrypt"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env, out, errb := testEnv()
			args := append([]string{"export", "--source", src, "--out", t.TempDir()}, tc.args...)
			code := Main(context.Background(), env, args)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errb)
			}
			if code != 0 && code != 3 {
				if errb.Len() == 0 {
					t.Error("an error must be explained on stderr")
				}
				return
			}
			var res struct {
				Files    []json.RawMessage `json:"files"`
				Gaps     []json.RawMessage `json:"gaps"`
				Archive  string            `json:"archive"`
				Password string            `json:"password"`
			}
			if err := json.Unmarshal(out.Bytes(), &res); err != nil {
				t.Fatalf("summary is not JSON: %v\n%s", err, out)
			}
			if len(res.Files) != 1 || (code == 3) != (len(res.Gaps) > 0) {
				t.Errorf("summary: %s", out)
			}
			// R-ENC-2: the password appears only with --encrypt.
			if enc := tc.name == "encrypted"; enc != (res.Password != "") || enc != (res.Archive != "") {
				t.Errorf("password/archive presence wrong: %s", out)
			}
		})
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
