package export_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"mileo.tech/extract/export"
	"mileo.tech/extract/internal/demo/demotest"
	"mileo.tech/extract/vms"
	"mileo.tech/extract/vms/folder"
)

// box is a top-level MP4 box of a file.
type box struct {
	typ       string
	off, size int64
}

func boxes(t *testing.T, b []byte) []box {
	t.Helper()
	var out []box
	for off := int64(0); off+8 <= int64(len(b)); {
		size := int64(binary.BigEndian.Uint32(b[off:]))
		if size < 8 {
			t.Fatalf("box at %d: size %d", off, size)
		}
		out = append(out, box{string(b[off+4 : off+8]), off, size})
		off += size
	}
	return out
}

// nth returns the n-th (from 0) top-level box of type typ.
func nth(t *testing.T, b []byte, typ string, n int) box {
	t.Helper()
	for _, x := range boxes(t, b) {
		if x.typ == typ {
			if n == 0 {
				return x
			}
			n--
		}
	}
	t.Fatalf("no %s #%d", typ, n)
	return box{}
}

// scramble overwrites the payload of bx with seeded random bytes.
func scramble(b []byte, bx box, seed uint64) {
	r := rand.New(rand.NewPCG(seed, seed))
	for i := bx.off + 8; i < bx.off+bx.size; i++ {
		b[i] = byte(r.Uint32())
	}
}

// damage rewrites the file at p with fn applied to its bytes.
func damage(t *testing.T, p string, fn func(t *testing.T, b []byte)) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	fn(t, b)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func near(a, b time.Time) bool {
	d := a.Sub(b)
	return d > -150*time.Millisecond && d < 150*time.Millisecond
}

// noPartial fails when dir holds a file under a temporary name.
func noPartial(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".part") {
			t.Errorf("partial file %s left in the output folder", e.Name())
		}
	}
}

// R-EXP-3 (rev.): frames lost inside a real damaged segment are gaps with
// their start, end and segment; the export is « complete with gaps »,
// never « complete », and the manifest says so. The demo's segments are
// fragmented MP4s of 60 s, one fragment (moof + mdat) per 2 s GOP.
func TestLostFramesAreGaps(t *testing.T) {
	for _, tc := range []struct {
		name       string
		damage     func(t *testing.T, b []byte)
		start, end time.Time // the gap (in segment 08:01:00)
		cause      string
	}{
		{"moof scrambled", func(t *testing.T, b []byte) { scramble(b, nth(t, b, "moof", 5), 1) }, at(8, 1, 10), at(8, 1, 12), export.CauseFramesLost},
		{"mdat size lies", func(t *testing.T, b []byte) {
			m := nth(t, b, "mdat", 5)
			binary.BigEndian.PutUint32(b[m.off:], 0x7fffffff)
		}, at(8, 1, 12), at(8, 2, 0), export.CauseDamaged},
		{"moov scrambled", func(t *testing.T, b []byte) { scramble(b, nth(t, b, "moov", 0), 2) }, at(8, 1, 0), at(8, 2, 0), export.CauseDamaged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := demotest.Copy(t)
			segs, _ := filepath.Glob(filepath.Join(dir, "entree", "*.mp4"))
			bad := segs[1] // 08:01:00 - 08:02:00
			damage(t, bad, tc.damage)
			out := t.TempDir()
			res, err := export.Run(context.Background(), export.Job{Source: source(t, dir), Cameras: []string{"entree"},
				Range: vms.Range{Start: at(8, 0, 30), End: at(8, 2, 30)}, OutDir: out})
			if err != nil {
				t.Fatalf("export: %v", err)
			}
			if res.Complete || res.Status != export.StatusWithGaps || !res.WithGaps() {
				t.Fatalf("complete=%v status=%q: frames were lost, want complete with gaps", res.Complete, res.Status)
			}
			var found *export.Gap
			for i, g := range res.Gaps {
				if g.Segment == filepath.Base(bad) && near(g.Range.Start, tc.start) && near(g.Range.End, tc.end) {
					found = &res.Gaps[i]
				}
			}
			if found == nil {
				t.Fatalf("gaps %+v: want %s → %s in %s", res.Gaps, tc.start.Format("15:04:05"), tc.end.Format("15:04:05"), filepath.Base(bad))
			}
			if found.Cause != tc.cause {
				t.Errorf("cause %q, want %q", found.Cause, tc.cause)
			}
			if tc.cause == export.CauseFramesLost && (found.Frames < 45 || found.Frames > 55) {
				t.Errorf("%d frames lost, want about 50 (2 s at 25 fps)", found.Frames)
			}
			if len(res.Files) != 1 {
				t.Fatalf("the readable footage must be delivered, got %d files", len(res.Files))
			}
			txt, err := os.ReadFile(filepath.Join(out, "manifest.txt"))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(txt), "Lacunes            : aucune") || !strings.Contains(string(txt), filepath.Base(bad)) ||
				!strings.Contains(string(txt), "complet avec lacunes") {
				t.Errorf("manifest.txt does not report the damaged segment:\n%s", txt)
			}
			var m struct {
				Complete bool
				Status   string
				Gaps     []struct{ Segment, Cause string }
			}
			b, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
			if err := json.Unmarshal(b, &m); err != nil || m.Complete || m.Status != export.StatusWithGaps || len(m.Gaps) == 0 {
				t.Errorf("manifest.json: %v %+v", err, m)
			}
			noPartial(t, out)
		})
	}
}

// failing is a source whose camera bad fails as soon as it is read.
type failing struct {
	vms.Source
	bad string
}

func (f failing) Recordings(ctx context.Context, camera string, r vms.Range) ([]vms.Span, error) {
	if camera == f.bad {
		return nil, errors.New("the recorder lost its index")
	}
	return f.Source.Recordings(ctx, camera, r)
}

// R-EXP-3 (rev.): one damaged camera among three never stops the others:
// it is reported (camera, segment when known, the whole range as a gap)
// while the others are exported, verified, and listed in the manifest.
func TestDamagedCameraDoesNotStopOthers(t *testing.T) {
	for _, tc := range []struct {
		name string
		prep func(t *testing.T, dir string) vms.Source
	}{
		{"every segment scrambled", func(t *testing.T, dir string) vms.Source {
			segs, _ := filepath.Glob(filepath.Join(dir, "parking", "*.mp4"))
			for i, s := range segs {
				damage(t, s, func(t *testing.T, b []byte) {
					for k, bx := range boxes(t, b) {
						if bx.typ != "ftyp" {
							scramble(b, bx, uint64(10*i+k))
						}
					}
				})
			}
			return source(t, dir)
		}},
		{"source fails for one camera", func(t *testing.T, dir string) vms.Source {
			return failing{source(t, dir), "parking"}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := demotest.Copy(t)
			src := tc.prep(t, dir)
			out := t.TempDir()
			res, err := export.Run(context.Background(), export.Job{Source: src, Cameras: []string{"entree", "parking", "caisses"},
				Range: vms.Range{Start: at(8, 0, 10), End: at(8, 0, 40)}, OutDir: out})
			if err != nil {
				t.Fatalf("a damaged camera must not fail the export: %v", err)
			}
			if res.Complete || !res.WithGaps() {
				t.Fatal("an export missing a camera must not be complete")
			}
			cams := map[string]bool{}
			for _, f := range res.Files {
				cams[f.Camera] = true
				if f.Frames == 0 || f.Duration < 29900*time.Millisecond || f.Duration > 30100*time.Millisecond || f.SHA256 == "" {
					t.Errorf("%s: %d frames, %s verified, want 30 s", f.Name, f.Frames, f.Duration)
				}
				if _, err := os.Stat(f.Path); err != nil {
					t.Errorf("%s: %v", f.Name, err)
				}
			}
			if !cams["entree"] || !cams["caisses"] || cams["parking"] {
				t.Fatalf("files of %v, want entree and caisses", cams)
			}
			named := false
			for _, e := range res.Errors {
				named = named || strings.Contains(e, "parking")
			}
			gap := false
			for _, g := range res.Gaps {
				gap = gap || g.Camera == "parking" && g.Range == (vms.Range{Start: at(8, 0, 10), End: at(8, 0, 40)})
			}
			if !named || !gap {
				t.Errorf("the damaged camera is not reported: errors %q, gaps %+v", res.Errors, res.Gaps)
			}
			var m struct {
				Files []struct{ Camera, Name string }
			}
			b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
			if err != nil || json.Unmarshal(b, &m) != nil || len(m.Files) != 2 {
				t.Errorf("manifest.json must list the 2 delivered files: %v %s", err, b)
			}
			noPartial(t, out)
		})
	}
}

// cutSource hands the footage of a folder source as network clips (the
// bytes of the segment holding the span's start) and cuts camera bad's
// clip after cut bytes with err, as vms/internal/fetch does with a clip
// over its bound.
type cutSource struct {
	*folder.Source
	bad string
	cut int
	err error
}

func (c cutSource) OpenClip(ctx context.Context, camera string, r vms.Range) (*vms.Clip, error) {
	segs, err := c.Segments(ctx, camera, r)
	if err != nil || len(segs) == 0 {
		return nil, fmt.Errorf("no segment: %v", err)
	}
	b, err := os.ReadFile(segs[0].Path)
	if err != nil {
		return nil, err
	}
	var rd io.Reader = bytes.NewReader(b)
	if camera == c.bad {
		rd = io.MultiReader(bytes.NewReader(b[:c.cut]), iotest.ErrReader(c.err))
	}
	return &vms.Clip{ReadCloser: io.NopCloser(rd), Start: segs[0].Range.Start, Exact: true, Name: "clip-" + camera}, nil
}

// R-EXP-3 (bounded sources): a clip cut by its bound (vms.ErrTooLarge) or
// a stall delivers what arrived; the cut is named in the errors, the rest
// is a gap, and the other cameras are exported.
func TestCutClip(t *testing.T) {
	for _, cause := range []error{vms.ErrTooLarge, vms.ErrStalled} {
		t.Run(cause.Error(), func(t *testing.T) {
			dir := demotest.Archive(t)
			fs, err := folder.New(dir, folder.Options{})
			if err != nil {
				t.Fatal(err)
			}
			// Half of the first minute of entree: about 30 s arrive.
			st, _ := os.Stat(filepath.Join(dir, "entree", "2026-11-23_08-00-00-000000.mp4"))
			src := clipSource{cutSource{fs, "entree", int(st.Size() / 2), fmt.Errorf("cut: %w", cause)}}
			out := t.TempDir()
			res, err := export.Run(context.Background(), export.Job{Source: src, Cameras: []string{"entree", "parking"},
				Range: vms.Range{Start: at(8, 0, 0), End: at(8, 1, 0)}, OutDir: out})
			if err != nil {
				t.Fatalf("export: %v", err)
			}
			if !res.WithGaps() || len(res.Files) != 2 {
				t.Fatalf("want both cameras, with gaps: %+v", res)
			}
			named := false
			for _, e := range res.Errors {
				named = named || strings.Contains(e, "clip-entree") && strings.Contains(e, cause.Error())
			}
			if !named {
				t.Errorf("errors %q do not name the cut clip", res.Errors)
			}
			var missing time.Duration
			for _, g := range res.Gaps {
				if g.Camera == "entree" {
					missing += g.Range.Duration()
				}
			}
			if missing < 20*time.Second || missing > 40*time.Second {
				t.Errorf("entree misses %s, want about the 30 s that never arrived (gaps %+v)", missing, res.Gaps)
			}
			noPartial(t, out)
		})
	}
}

// clipSource is a source without SegmentLister: the export downloads.
type clipSource struct{ c cutSource }

func (s clipSource) Info() vms.Info                                    { return s.c.Info() }
func (s clipSource) Cameras(ctx context.Context) ([]vms.Camera, error) { return s.c.Cameras(ctx) }
func (s clipSource) Recordings(ctx context.Context, camera string, r vms.Range) ([]vms.Span, error) {
	return s.c.Recordings(ctx, camera, r)
}
func (s clipSource) OpenClip(ctx context.Context, camera string, r vms.Range) (*vms.Clip, error) {
	return s.c.OpenClip(ctx, camera, r)
}
