package export_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/export"
	"mileo.tech/extract/internal/aeszip"
	"mileo.tech/extract/internal/demo/demotest"
	"mileo.tech/extract/vms"
	"mileo.tech/extract/vms/folder"
)

func at(h, m, s int) time.Time { return time.Date(2026, 11, 23, h, m, s, 0, time.UTC) }

func source(t *testing.T, dir string) vms.Source {
	t.Helper()
	src, err := folder.New(dir, folder.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func run(t *testing.T, job export.Job) *export.Result {
	t.Helper()
	if job.OutDir == "" {
		job.OutDir = t.TempDir()
	}
	res, err := export.Run(context.Background(), job)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	return res
}

func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed: run make deps-test", tool)
		}
	}
}

type probe struct {
	Streams []struct {
		CodecName string `json:"codec_name"`
		NbFrames  string `json:"nb_read_frames"`
		Duration  string `json:"duration"`
	} `json:"streams"`
}

// ffprobe decodes every frame of p with the ffprobe CLI.
func ffprobe(t *testing.T, p string) (codec string, frames int, dur float64) {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
		"-show_entries", "stream=codec_name,nb_read_frames,duration", "-of", "json", p).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v\n%s", p, err, out)
	}
	var pr probe
	if err := json.Unmarshal(out, &pr); err != nil || len(pr.Streams) != 1 {
		t.Fatalf("ffprobe %s: %v %s", p, err, out)
	}
	frames, _ = strconv.Atoi(pr.Streams[0].NbFrames)
	dur, _ = strconv.ParseFloat(pr.Streams[0].Duration, 64)
	return pr.Streams[0].CodecName, frames, dur
}

// packetHashes lists the SHA-256 of every video packet's payload.
func packetHashes(t *testing.T, p string) []string {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_data_hash", "sha256",
		"-show_entries", "packet=data_hash", "-of", "csv=p=0", p).Output()
	if err != nil {
		t.Fatalf("ffprobe packets %s: %v", p, err)
	}
	return strings.Fields(string(out))
}

// R-EXP-1, R-EXP-2: a remuxed export keeps the original video packets
// bit-exact, starts at the keyframe at or before the start, and ffprobe
// reads it with the frame count and duration of the range.
func TestRemuxIsBitExact(t *testing.T) {
	need(t, "ffprobe")
	dir := demotest.Archive(t)
	res := run(t, export.Job{Source: source(t, dir), Cameras: []string{"entree"}, Range: vms.Range{Start: at(8, 0, 30), End: at(8, 2, 10)}})
	if !res.Complete || len(res.Files) != 1 {
		t.Fatalf("want one complete file, got %+v", res)
	}
	f := res.Files[0]
	if f.Reencoded {
		t.Error("an H.264 source must be remuxed, not re-encoded")
	}
	codec, frames, dur := ffprobe(t, f.Path)
	if codec != "h264" || frames != 2500 || dur < 99.9 || dur > 100.1 {
		t.Errorf("ffprobe: %s, %d frames, %.3f s; want h264, 2500 frames (100 s at 25 fps)", codec, frames, dur)
	}
	if f.Frames != 2500 {
		t.Errorf("verified frames = %d, want 2500", f.Frames)
	}
	var src []string
	segs, _ := filepath.Glob(filepath.Join(dir, "entree", "*.mp4"))
	for _, s := range segs {
		src = append(src, packetHashes(t, s)...)
	}
	got := packetHashes(t, f.Path)
	if len(got) == 0 || !contiguous(src, got) {
		t.Fatalf("the export's %d video packets are not a contiguous, byte-identical run of the source's %d", len(got), len(src))
	}
}

func contiguous(hay, needle []string) bool {
	for i := 0; i+len(needle) <= len(hay); i++ {
		if hay[i] != needle[0] {
			continue
		}
		ok := true
		for j := range needle {
			if hay[i+j] != needle[j] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// R-EXP-1: a start inside a GOP begins at the keyframe before it; the
// manifest gives the actual range.
func TestRemuxStartsAtKeyframeBefore(t *testing.T) {
	dir := demotest.Archive(t)
	res := run(t, export.Job{Source: source(t, dir), Cameras: []string{"entree"}, Range: vms.Range{Start: at(8, 0, 31), End: at(8, 0, 41)}})
	a := res.Files[0].Actual
	if !a.Start.Equal(at(8, 0, 30)) {
		t.Errorf("actual start %s, want the keyframe at 08:00:30", a.Start)
	}
	if res.Files[0].Frames != 275 {
		t.Errorf("frames = %d, want 275 (11 s at 25 fps)", res.Files[0].Frames)
	}
}

// R-EXP-3: a gap in the middle of the range is listed exactly.
func TestGapIsListed(t *testing.T) {
	dir := demotest.Archive(t)
	res := run(t, export.Job{Source: source(t, dir), Cameras: []string{"caisses", "entree"}, Range: vms.Range{Start: at(8, 0, 30), End: at(8, 2, 10)}})
	if res.Complete {
		t.Fatal("an export with a gap must not be complete")
	}
	if len(res.Gaps) != 1 || res.Gaps[0].Camera != "caisses" {
		t.Fatalf("gaps = %+v, want one on caisses", res.Gaps)
	}
	g := res.Gaps[0].Range
	if d := g.Start.Sub(at(8, 1, 15)); d < -100*time.Millisecond || d > 100*time.Millisecond {
		t.Errorf("gap start %s, want 08:01:15", g.Start)
	}
	if d := g.End.Sub(at(8, 1, 45)); d < -100*time.Millisecond || d > 100*time.Millisecond {
		t.Errorf("gap end %s, want 08:01:45", g.End)
	}
	if len(res.Files) != 2 {
		t.Fatalf("both cameras must be delivered, got %d files", len(res.Files))
	}
	// R-EXP-4: the manifest lists the gap in UTC and local time.
	m, err := os.ReadFile(filepath.Join(filepath.Dir(res.Files[0].Path), "manifest.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(m), "Lacunes (périodes sans enregistrement)") || !strings.Contains(string(m), "2026-11-23T09:01:1") {
		t.Errorf("manifest.txt does not list the gap in local time:\n%s", m)
	}
}

// R-EXP-3: damaged segments give a clear error naming the file; the export
// still delivers what is readable and says what is missing.
func TestDamagedSegments(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, p string)
	}{
		{"truncated", func(t *testing.T, p string) {
			st, _ := os.Stat(p)
			if err := os.Truncate(p, st.Size()/3); err != nil {
				t.Fatal(err)
			}
		}},
		{"random bytes", func(t *testing.T, p string) {
			b := make([]byte, 300_000)
			rand.Read(b)
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"empty", func(t *testing.T, p string) {
			if err := os.WriteFile(p, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := demotest.Copy(t)
			segs, _ := filepath.Glob(filepath.Join(dir, "entree", "*.mp4"))
			bad := segs[1] // 08:01:00 - 08:02:00
			tc.damage(t, bad)
			res, err := export.Run(context.Background(), export.Job{Source: source(t, dir), Cameras: []string{"entree"},
				Range: vms.Range{Start: at(8, 0, 0), End: at(8, 3, 0)}, OutDir: t.TempDir()})
			if err != nil {
				t.Fatalf("export must deliver the readable parts, got %v", err)
			}
			if res.Complete || len(res.Files) != 1 {
				t.Fatalf("want an incomplete export with one file, got %+v", res)
			}
			named := false
			for _, e := range res.Errors {
				named = named || strings.Contains(e, filepath.Base(bad))
			}
			if !named {
				t.Errorf("errors %q do not name %s", res.Errors, filepath.Base(bad))
			}
			if len(res.Gaps) == 0 {
				t.Fatalf("the unreadable minute must be listed as a gap")
			}
			var missing time.Duration
			for _, g := range res.Gaps {
				missing += g.Range.Duration()
			}
			if missing < 20*time.Second || missing > 61*time.Second {
				t.Errorf("missing %s, want up to the damaged minute", missing)
			}
			if _, frames, _ := ffprobe(t, res.Files[0].Path); frames < 25*60 {
				t.Errorf("only %d frames delivered", frames)
			}
		})
	}
}

// R-EXP-2: re-encoding (when asked or needed) trims exactly to the range
// and the manifest says the file was re-encoded.
func TestReencode(t *testing.T) {
	need(t, "ffprobe")
	dir := demotest.Archive(t)
	res := run(t, export.Job{Source: source(t, dir), Cameras: []string{"parking"}, Range: vms.Range{Start: at(8, 0, 10), End: at(8, 0, 20)}, Reencode: true})
	f := res.Files[0]
	if !f.Reencoded {
		t.Error("manifest must say re-encoded")
	}
	codec, frames, _ := ffprobe(t, f.Path)
	if codec != "h264" || frames != 100 {
		t.Errorf("re-encoded file: %s, %d frames; want h264, 100 (10 s at 10 fps)", codec, frames)
	}
	if !f.Actual.Start.Equal(at(8, 0, 10)) {
		t.Errorf("re-encoded export starts at %s, want exactly 08:00:10", f.Actual.Start)
	}
}

// R-EXP-4: the manifest carries case, origin, ranges in UTC and local time,
// and per file SHA-256, size, duration, codec, re-encoded, software version.
func TestManifest(t *testing.T) {
	dir := demotest.Archive(t)
	out := t.TempDir()
	res := run(t, export.Job{Source: source(t, dir), Cameras: []string{"entree"}, Range: vms.Range{Start: at(8, 0, 0), End: at(8, 0, 10)}, OutDir: out, CaseNumber: "EXT-2026-0042"})
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m export.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.CaseNumber != "EXT-2026-0042" || m.Origin.Kind != "folder" || m.Software == "" {
		t.Errorf("manifest header: %+v", m)
	}
	if m.Requested.StartUTC != "2026-11-23T08:00:00Z" || m.Requested.StartLocal != "2026-11-23T09:00:00+01:00" {
		t.Errorf("requested range: %+v", m.Requested)
	}
	f := m.Files[0]
	if f.SHA256 != res.Files[0].SHA256 || f.Size == 0 || f.Codec != "h264" || f.Duration == 0 || f.CameraName != "Entrée principale" {
		t.Errorf("file entry: %+v", f)
	}
	txt, _ := os.ReadFile(filepath.Join(out, "manifest.txt"))
	for _, want := range []string{"EXT-2026-0042", "SHA-256", res.Files[0].SHA256, "Réencodé", "Entrée principale"} {
		if !bytes.Contains(txt, []byte(want)) {
			t.Errorf("manifest.txt lacks %q", want)
		}
	}
}

// R-ENC-1: the encrypted archive opens with 7-Zip and bsdtar under the
// printed password, is refused with a wrong one, and a flipped byte is
// detected. No clear video stays beside the archive.
func TestEncryptedArchive(t *testing.T) {
	need(t, "7z", "bsdtar")
	dir := demotest.Archive(t)
	out := t.TempDir()
	res := run(t, export.Job{Source: source(t, dir), Cameras: []string{"entree", "parking"}, Range: vms.Range{Start: at(8, 0, 0), End: at(8, 0, 20)}, OutDir: out, Encrypt: true})
	if len(res.Password) < 16 || res.Archive == "" {
		t.Fatalf("password %d chars, archive %q", len(res.Password), res.Archive)
	}
	ents, _ := os.ReadDir(out)
	if len(ents) != 1 || ents[0].Name() != "archive.zip" {
		t.Errorf("out dir holds %v, want only archive.zip", ents)
	}
	if out, err := exec.Command("7z", "t", "-p"+res.Password, res.Archive).CombinedOutput(); err != nil {
		t.Fatalf("7z t: %v\n%s", err, out)
	}
	x := t.TempDir()
	if out, err := exec.Command("bsdtar", "-x", "--passphrase", res.Password, "-f", res.Archive, "-C", x).CombinedOutput(); err != nil {
		t.Fatalf("bsdtar: %v\n%s", err, out)
	}
	for _, n := range []string{"video-01.mp4", "video-02.mp4", "manifest.json", "manifest.txt"} {
		if _, err := os.Stat(filepath.Join(x, n)); err != nil {
			t.Errorf("bsdtar did not extract %s", n)
		}
	}
	if codec, frames, _ := ffprobe(t, filepath.Join(x, "video-01.mp4")); codec != "h264" || frames != 500 {
		t.Errorf("extracted video: %s, %d frames; want h264, 500", codec, frames)
	}
	if err := exec.Command("7z", "t", "-pWrongPassword-123!", res.Archive).Run(); err == nil {
		t.Error("7z accepted a wrong password")
	}
	if err := exec.Command("bsdtar", "-x", "--passphrase", "WrongPassword-123!", "-f", res.Archive, "-C", t.TempDir()).Run(); err == nil {
		t.Error("bsdtar accepted a wrong password")
	}
	b, _ := os.ReadFile(res.Archive)
	if _, err := aeszip.Verify(context.Background(), bytes.NewReader(b), int64(len(b)), "WrongPassword-123!"); !errors.Is(err, aeszip.ErrWrongPassword) {
		t.Errorf("wrong password: %v, want ErrWrongPassword", err)
	}
	b[len(b)/2] ^= 0x01
	if _, err := aeszip.Verify(context.Background(), bytes.NewReader(b), int64(len(b)), res.Password); err == nil {
		t.Error("a flipped byte was not detected")
	}
}

func TestBadRequests(t *testing.T) {
	dir := demotest.Archive(t)
	src := source(t, dir)
	for _, tc := range []struct {
		name string
		job  export.Job
		want error
	}{
		{"unknown camera", export.Job{Cameras: []string{"nope"}, Range: vms.Range{Start: at(8, 0, 0), End: at(8, 1, 0)}}, vms.ErrUnknownCamera},
		{"inverted range", export.Job{Cameras: []string{"entree"}, Range: vms.Range{Start: at(8, 1, 0), End: at(8, 0, 0)}}, vms.ErrBadRange},
		{"nothing recorded", export.Job{Cameras: []string{"entree"}, Range: vms.Range{Start: at(9, 0, 0), End: at(9, 1, 0)}}, export.ErrNoFootage},
		{"inside the gap", export.Job{Cameras: []string{"caisses"}, Range: vms.Range{Start: at(8, 1, 20), End: at(8, 1, 40)}}, export.ErrNoFootage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.job.Source, tc.job.OutDir = src, t.TempDir()
			_, err := export.Run(context.Background(), tc.job)
			if !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestCancel(t *testing.T) {
	dir := demotest.Archive(t)
	ctx, cancel := context.WithCancel(context.Background())
	out := t.TempDir()
	job := export.Job{Source: source(t, dir), Cameras: []string{"entree"}, Range: vms.Range{Start: at(8, 0, 0), End: at(8, 3, 0)}, OutDir: out, Reencode: true,
		OnProgress: func(p export.Progress) {
			if p.Stage == "encode" && p.Done > 50 {
				cancel()
			}
		}}
	_, err := export.Run(ctx, job)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if _, err := os.Stat(filepath.Join(out, "manifest.json")); err == nil {
		t.Error("a cancelled export must not write a manifest")
	}
}

// R-EXP-5: the native recording files can be exported on request, with the
// same metadata.
func TestNativeFiles(t *testing.T) {
	dir := demotest.Archive(t)
	res := run(t, export.Job{Source: source(t, dir), Cameras: []string{"entree"}, Range: vms.Range{Start: at(8, 0, 50), End: at(8, 1, 10)}, Native: true})
	var native []export.File
	for _, f := range res.Files {
		if f.Native {
			native = append(native, f)
		}
	}
	if len(native) != 2 {
		t.Fatalf("want the 2 segments around 08:01:00, got %+v", native)
	}
	for _, f := range native {
		b, err := os.ReadFile(f.Path)
		if err != nil || len(b) != int(f.Size) || f.SHA256 == "" || f.Codec != "h264" {
			t.Errorf("native file %+v: %v", f, err)
		}
	}
}

// R-PRG-1, R-ENC-1: working copies never sit on disk in clear. At every
// stage of an encrypted export (remux, re-encode, verify, packing) and of
// a clear one that re-encodes, the work area holds only age ciphertext,
// and nothing is left once the job ends.
func TestNoClearWorkingCopies(t *testing.T) {
	dir := demotest.Archive(t)
	for _, encrypt := range []bool{true, false} {
		t.Run(map[bool]string{true: "encrypted", false: "clear"}[encrypt], func(t *testing.T) {
			work, out := t.TempDir(), t.TempDir()
			seen := map[string]bool{}
			var problems []string
			check := func(stage string) {
				filepath.WalkDir(work, func(p string, d os.DirEntry, err error) error {
					if err != nil || d.IsDir() {
						return err
					}
					b, _ := os.ReadFile(p)
					if d.Name() != ".lock" && !bytes.HasPrefix(b, []byte("age-encryption.org/v1\n")) {
						problems = append(problems, stage+": "+p+" is not age ciphertext")
					}
					if bytes.Contains(b, []byte("ftyp")) || bytes.Contains(b, []byte("mdat")) {
						problems = append(problems, stage+": "+p+" holds clear MP4 boxes")
					}
					return nil
				})
				if encrypt {
					ents, _ := os.ReadDir(out)
					for _, e := range ents {
						if e.Name() != "archive.zip" && e.Name() != "archive.zip.part" { // the archive, written under a temporary name until verified
							problems = append(problems, stage+": "+e.Name()+" in the output folder")
						}
					}
				}
			}
			job := export.Job{Source: source(t, dir), Cameras: []string{"entree"}, Range: vms.Range{Start: at(8, 0, 5), End: at(8, 0, 15)},
				OutDir: out, WorkDir: work, Encrypt: encrypt, Reencode: true, Native: encrypt,
				OnProgress: func(p export.Progress) {
					if !seen[p.Stage] {
						seen[p.Stage] = true
						check(p.Stage)
					}
				}}
			res := run(t, job)
			for _, st := range []string{"remux", "encode", "verify"} {
				if !seen[st] {
					t.Errorf("stage %s not reported", st)
				}
			}
			if encrypt && !seen["encrypt"] {
				t.Error("stage encrypt not reported")
			}
			for _, p := range problems {
				t.Error(p)
			}
			if ents, _ := os.ReadDir(work); len(ents) != 0 {
				t.Errorf("the work area still holds %d entries", len(ents))
			}
			if encrypt {
				x := t.TempDir()
				if o, err := exec.Command("7z", "x", "-p"+res.Password, "-o"+x, res.Archive).CombinedOutput(); err != nil {
					t.Fatalf("7z x: %v\n%s", err, o)
				}
				// The video was written by a muxer that could not rewrite it
				// by name: ffprobe still reads every frame (R-EXP-3).
				if codec, frames, _ := ffprobe(t, filepath.Join(x, "video-01.mp4")); codec != "h264" || frames != 250 {
					t.Errorf("extracted video: %s, %d frames; want h264, 250", codec, frames)
				}
				for _, f := range res.Files {
					b, err := os.ReadFile(filepath.Join(x, f.Name))
					if err != nil {
						t.Fatal(err)
					}
					if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != f.SHA256 {
						t.Errorf("%s: SHA-256 differs from the manifest", f.Name)
					}
				}
			}
		})
	}
}
