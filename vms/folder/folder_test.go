package folder

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"mileo.tech/extract/vms"
)

func TestParseMediaMTXName(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	for _, tc := range []struct {
		name string
		loc  *time.Location
		want time.Time
		ok   bool
	}{
		{"2026-11-23_08-01-00-066666.mp4", time.UTC, time.Date(2026, 11, 23, 8, 1, 0, 66666000, time.UTC), true},
		{"2026-11-23_09-01-00-000000.mp4", paris, time.Date(2026, 11, 23, 8, 1, 0, 0, time.UTC), true},
		{"2026-03-29_02-30-00-000000.ts", paris, time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC), true}, // DST gap: Go normalizes forward
		{"2026-11-23_08-01-00.mp4", time.UTC, time.Time{}, false},
		{"2026-11-23_08-01-00-06666x.mp4", time.UTC, time.Time{}, false},
		{"2026-11-23_08-01-00--66666.mp4", time.UTC, time.Time{}, false},
		{"2026-13-23_08-01-00-000000.mp4", time.UTC, time.Time{}, false},
		{"2026-11-23_08-01-00-000000.mkv", time.UTC, time.Time{}, false},
		{"", time.UTC, time.Time{}, false},
	} {
		got, err := ParseMediaMTXName(tc.name, tc.loc)
		if (err == nil) != tc.ok {
			t.Errorf("%q: err = %v, want ok=%v", tc.name, err, tc.ok)
			continue
		}
		if tc.ok && tc.name != "2026-03-29_02-30-00-000000.ts" && !got.Equal(tc.want) {
			t.Errorf("%q: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestParseFrigatePath(t *testing.T) {
	for _, tc := range []struct {
		path, cam string
		want      time.Time
		ok        bool
	}{
		{"2026-11-23/08/front/05.30.mp4", "front", time.Date(2026, 11, 23, 8, 5, 30, 0, time.UTC), true},
		{"2026-11-23/23/back_door/59.59.mp4", "back_door", time.Date(2026, 11, 23, 23, 59, 59, 0, time.UTC), true},
		{"2026-11-23/24/front/05.30.mp4", "", time.Time{}, false},
		{"2026-11-23/08/front/5.30.mp4", "", time.Time{}, false},
		{"2026-11-23/08/05.30.mp4", "", time.Time{}, false},
		{"2026-11-23/08/../05.30.mp4", "", time.Time{}, false},
		{"x/08/front/05.30.mp4", "", time.Time{}, false},
	} {
		cam, got, err := ParseFrigatePath(tc.path)
		if (err == nil) != tc.ok {
			t.Errorf("%q: err = %v, want ok=%v", tc.path, err, tc.ok)
			continue
		}
		if tc.ok && (cam != tc.cam || !got.Equal(tc.want)) {
			t.Errorf("%q: %s %s, want %s %s", tc.path, cam, got, tc.cam, tc.want)
		}
	}
}

func FuzzParseMediaMTXName(f *testing.F) {
	for _, s := range []string{"2026-11-23_08-01-00-066666.mp4", "2026-11-23_08-01-00-000000.ts", "0000-00-00_00-00-00-000000.mp4", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := ParseMediaMTXName(s, time.UTC)
		if err == nil && tm.IsZero() {
			t.Errorf("%q: zero time without error", s)
		}
	})
}

func FuzzParseFrigatePath(f *testing.F) {
	for _, s := range []string{"2026-11-23/08/front/05.30.mp4", "a/b/c/d", "////", "2026-11-23/08/../05.30.mp4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cam, _, err := ParseFrigatePath(s)
		if err == nil && (cam == "" || cam == ".." || cam == ".") {
			t.Errorf("%q: bad camera %q accepted", s, cam)
		}
	})
}

// fakeProbe gives every segment 10 s (names here are not real videos).
func fakeProbe(d time.Duration) func(string) (time.Duration, error) {
	return func(p string) (time.Duration, error) {
		if filepath.Base(p) == "bad" {
			return 0, errors.New("unreadable")
		}
		return d, nil
	}
}

func touch(t testing.TB, root string, rel ...string) {
	for _, r := range rel {
		p := filepath.Join(root, r)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSpansMergedAndGaps(t *testing.T) {
	root := t.TempDir()
	touch(t, root, "cam1/2026-11-23_08-00-00-000000.mp4", "cam1/2026-11-23_08-00-10-000000.mp4",
		"cam1/2026-11-23_08-00-40-000000.mp4", "cam1/notes.txt", "site/cam2/2026-11-23_08-00-00-000000.mp4")
	s, err := New(root, Options{Location: time.UTC, Probe: fakeProbe(10 * time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	cams, err := s.Cameras(context.Background())
	if err != nil || len(cams) != 2 || cams[0].ID != "cam1" || cams[1].ID != "site/cam2" {
		t.Fatalf("cameras = %+v, %v", cams, err)
	}
	r := vms.Range{Start: time.Date(2026, 11, 23, 7, 59, 0, 0, time.UTC), End: time.Date(2026, 11, 23, 8, 1, 0, 0, time.UTC)}
	spans, err := s.Recordings(context.Background(), "cam1", r)
	if err != nil {
		t.Fatal(err)
	}
	want := []vms.Span{
		{Start: time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 23, 8, 0, 20, 0, time.UTC)},
		{Start: time.Date(2026, 11, 23, 8, 0, 40, 0, time.UTC), End: time.Date(2026, 11, 23, 8, 0, 50, 0, time.UTC)},
	}
	if len(spans) != 2 || !spans[0].Start.Equal(want[0].Start) || !spans[0].End.Equal(want[0].End) || !spans[1].Start.Equal(want[1].Start) {
		t.Fatalf("spans = %v, want %v", spans, want)
	}
	if _, err := s.Recordings(context.Background(), "nope", r); !errors.Is(err, vms.ErrUnknownCamera) {
		t.Errorf("unknown camera: %v", err)
	}
}

func TestOverlapRefused(t *testing.T) {
	root := t.TempDir()
	touch(t, root, "cam/2026-11-23_08-00-00-000000.mp4", "cam/2026-11-23_08-00-05-000000.mp4")
	s, _ := New(root, Options{Location: time.UTC, Probe: fakeProbe(10 * time.Second)})
	_, err := s.Recordings(context.Background(), "cam", vms.Range{Start: time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)})
	if !errors.Is(err, ErrOverlap) {
		t.Fatalf("got %v, want ErrOverlap naming both files", err)
	}
}

func TestFrigateLayout(t *testing.T) {
	root := t.TempDir()
	touch(t, root, "recordings/2026-11-23/08/front/00.00.mp4", "recordings/2026-11-23/08/front/00.10.mp4", "recordings/2026-11-23/09/back/59.50.mp4")
	s, err := New(root, Options{Probe: fakeProbe(10 * time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	if s.layout != LayoutFrigate {
		t.Fatalf("layout %s, want frigate", s.layout)
	}
	spans, err := s.Recordings(context.Background(), "front", vms.Range{Start: time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)})
	if err != nil || len(spans) != 1 || spans[0].Duration() != 20*time.Second {
		t.Fatalf("spans = %v, %v", spans, err)
	}
}

func TestOpenAddress(t *testing.T) {
	root := t.TempDir()
	for _, tc := range []struct {
		addr string
		ok   bool
	}{
		{root, true},
		{root + "?tz=Europe/Paris&layout=mediamtx", true},
		{root + "?tz=Mars/Olympus", false},
		{root + "?layout=milestone", false},
		{root + "/missing", false},
	} {
		if _, err := Open(tc.addr); (err == nil) != tc.ok {
			t.Errorf("Open(%q) = %v, want ok=%v", tc.addr, err, tc.ok)
		}
	}
}

// FuzzScan builds a tree from fuzzed names: the scanner never panics and
// every span it returns is valid and sorted.
func FuzzScan(f *testing.F) {
	f.Add("cam/2026-11-23_08-00-00-000000.mp4", "cam/2026-11-23_08-00-10-000000.mp4", "2026-11-23/08/front/00.00.mp4")
	f.Add("a/b/c", "../x", "cam/2026-11-23_08-00-10-000000.ts")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		root := t.TempDir()
		for _, n := range []string{a, b, c} {
			if n == "" || filepath.IsAbs(n) || !filepath.IsLocal(n) || len(n) > 200 {
				continue
			}
			p := filepath.Join(root, n)
			if os.MkdirAll(filepath.Dir(p), 0o755) != nil {
				continue
			}
			_ = os.WriteFile(p, []byte("x"), 0o644)
		}
		s, err := New(root, Options{Location: time.UTC, Probe: fakeProbe(10 * time.Second)})
		if err != nil {
			return
		}
		cams, err := s.Cameras(context.Background())
		if err != nil {
			return
		}
		r := vms.Range{Start: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)}
		for _, c := range cams {
			spans, err := s.Recordings(context.Background(), c.ID, r)
			if err != nil {
				continue
			}
			for i, sp := range spans {
				if !sp.Valid() || (i > 0 && !spans[i-1].End.Before(sp.Start)) {
					t.Fatalf("camera %q: bad spans %v", c.ID, spans)
				}
			}
		}
	})
}
