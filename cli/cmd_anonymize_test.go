package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/anonymize"
	"mileo.tech/extract/internal/cv"
	"mileo.tech/extract/internal/testmedia"
)

func anonEnv() (*Env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: os.Getenv, Now: time.Now}, &out, &errb
}

func TestDetectCommand(t *testing.T) {
	model := testmedia.Model(t, anonymize.ModelFile)
	t.Setenv("MILEO_MODELS", filepath.Dir(testmedia.Model(t, cv.ModelObjects)))
	pic := filepath.Join(testmedia.Dir(t, "images"), "gocv_face.jpg")
	gif := filepath.Join(testmedia.Dir(t, "video"), "face-demographics-walking.gif")
	env, out, errb := anonEnv()
	if code := Main(context.Background(), env, []string{"detect", "--model", model, "--json", pic, gif}); code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	var lines []detection
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var d detection
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		lines = append(lines, d)
	}
	if len(lines) != 1+35 {
		t.Fatalf("%d lines, want 1 for the picture and 35 for the GIF's frames", len(lines))
	}
	if d := lines[0]; d.File != pic || d.W != 640 || d.H != 480 || len(d.Boxes) != 1 || d.Boxes[0][4] < 0.8 {
		t.Errorf("picture: %+v", d)
	}
	if d := lines[35]; d.File != gif || d.Frame != 34 || d.W != 480 || len(d.Boxes) != 2 {
		t.Errorf("last frame: %+v", d)
	}
	if errb.Len() != 0 {
		t.Errorf("stderr: %s", errb)
	}
	env, _, _ = anonEnv()
	if code := Main(context.Background(), env, []string{"detect", "--model", model}); code != 2 {
		t.Errorf("detect without files: exit %d, want 2", code)
	}
	env, _, _ = anonEnv()
	if code := Main(context.Background(), env, []string{"detect", "--model", model, "--threshold", "1.5", pic}); code != 2 {
		t.Errorf("detect with threshold 1.5: exit %d, want 2", code)
	}
}

// R-ANON-2: on a picture of dogs the faces YuNet finds are reported as
// animals' faces, not people's; without the object detector's model they
// are people's, and stderr says the check is missing.
func TestDetectAnimals(t *testing.T) {
	model := testmedia.Model(t, anonymize.ModelFile)
	dogs := filepath.Join(testmedia.Dir(t, "images", "dlib_faces"), "dogs.jpg")
	t.Setenv("MILEO_MODELS", filepath.Dir(testmedia.Model(t, cv.ModelObjects)))
	env, out, errb := anonEnv()
	if code := Main(context.Background(), env, []string{"detect", "--model", model, "--json", dogs}); code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	var d detection
	if err := json.Unmarshal(out.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Boxes) != 0 || len(d.Animals) == 0 {
		t.Errorf("dogs.jpg: faces %v, animals %v", d.Boxes, d.Animals)
	}

	empty := t.TempDir()
	t.Setenv("MILEO_MODELS", empty)
	t.Setenv("XDG_DATA_HOME", empty)
	t.Chdir(empty)
	env, out, errb = anonEnv()
	if code := Main(context.Background(), env, []string{"detect", "--model", model, "--json", dogs}); code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	d = detection{}
	if err := json.Unmarshal(out.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Boxes) == 0 || len(d.Animals) != 0 || !strings.Contains(errb.String(), "no animal check") {
		t.Errorf("without the check: faces %v, animals %v, stderr %q", d.Boxes, d.Animals, errb)
	}
}

// Without a model the CLI falls back to Haar cascades and says so on
// stderr (R-ANON-4).
func TestDetectFallbackWarns(t *testing.T) {
	pic := filepath.Join(testmedia.Dir(t, "images"), "gocv_face.jpg")
	empty := t.TempDir()
	t.Setenv("MILEO_MODELS", empty)
	t.Setenv("XDG_DATA_HOME", empty)
	t.Chdir(empty)
	env, out, errb := anonEnv()
	if code := Main(context.Background(), env, []string{"detect", pic}); code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	if !strings.Contains(errb.String(), "ATTENTION") || !strings.Contains(errb.String(), "Haar") {
		t.Errorf("no fallback warning on stderr: %q", errb)
	}
	if !strings.Contains(out.String(), "1 face(s)") {
		t.Errorf("stdout: %s", out)
	}
}

// R-ANON-3: plan, review (keep a track), render from the plan.
func TestPlanAndAnonymizeCommands(t *testing.T) {
	model := testmedia.Model(t, anonymize.ModelFile)
	in := filepath.Join(testmedia.Dir(t, "video"), "face-demographics-walking.gif")
	dir := t.TempDir()
	planFile := filepath.Join(dir, "plan.json")
	env, out, errb := anonEnv()
	if code := Main(context.Background(), env, []string{"plan", "--in", in, "--out", planFile, "--model", model}); code != 0 {
		t.Fatalf("plan: exit %d: %s", code, errb)
	}
	// The person of each track (issue #19 point 3): its column.
	if !strings.Contains(out.String(), "2 track(s) of 2 person(s)") || !strings.Contains(out.String(), "track  person") {
		t.Errorf("plan output: %s", out)
	}
	p, err := anonymize.ReadPlan(planFile)
	if err != nil || len(p.Tracks) != 2 {
		t.Fatalf("plan file: %v", err)
	}
	outFile := filepath.Join(dir, "out.mp4")
	env, out, errb = anonEnv()
	args := []string{"anonymize", "--in", in, "--out", outFile, "--plan", planFile, "--keep", "2", "--mode", "solid", "--reviewer", "DPO"}
	if code := Main(context.Background(), env, args); code != 0 {
		t.Fatalf("anonymize: exit %d: %s", code, errb)
	}
	var doc struct {
		Detector     string `json:"detector"`
		Tracks       int    `json:"tracks"`
		Kept         []int  `json:"kept"`
		Mode         string `json:"mode"`
		Reviewer     string `json:"reviewer"`
		AudioDropped bool   `json:"audio_dropped"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if doc.Detector != "yunet-2023mar" || doc.Tracks != 2 || len(doc.Kept) != 1 || doc.Kept[0] != 2 || doc.Mode != "solid" || doc.Reviewer != "DPO" || !doc.AudioDropped {
		t.Errorf("documentation: %s", out)
	}
	if st, err := os.Stat(outFile); err != nil || st.Size() == 0 {
		t.Errorf("output: %v", err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"bad keep", []string{"anonymize", "--in", in, "--out", outFile, "--keep", "x"}, 2},
		{"bad mode", []string{"anonymize", "--in", in, "--out", outFile, "--mode", "blur"}, 2},
		{"no out", []string{"anonymize", "--in", in}, 2},
		{"unknown kept track", []string{"anonymize", "--in", in, "--out", outFile, "--plan", planFile, "--keep", "7"}, 1},
		{"plan without in", []string{"plan", "--out", planFile}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env, _, errb := anonEnv()
			if code := Main(context.Background(), env, tc.args); code != tc.code {
				t.Errorf("exit %d, want %d: %s", code, tc.code, errb)
			}
		})
	}
}

// newAnonymizer loads the detector into an anonymizer that must be closed,
// and refuses an unknown mode.
func TestNewAnonymizer(t *testing.T) {
	t.Setenv("MILEO_MODELS", filepath.Dir(testmedia.Model(t, anonymize.ModelFile)))
	env, _, errb := anonEnv()
	a, err := newAnonymizer(env, anonymize.Options{Keep: []int{1}, Mode: anonymize.ModeSolid, Reviewer: "dora"})
	if err != nil || a == nil {
		t.Fatalf("newAnonymizer: %v", err)
	}
	a.Close()
	if errb.Len() != 0 {
		t.Errorf("unexpected warning: %s", errb)
	}
	if _, err := newAnonymizer(env, anonymize.Options{Mode: "blur"}); err == nil {
		t.Error("newAnonymizer accepted mode blur")
	}
}
