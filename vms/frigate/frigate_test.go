package frigate_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/vms"
	"mileo.tech/extract/vms/frigate"
	"mileo.tech/extract/vms/vmstest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if fixDir != "" {
		os.RemoveAll(fixDir)
	}
	os.Exit(code)
}

const (
	user     = "operator"
	password = "Frigate-pass-77e1"
	camera   = "front_door"
)

// serve starts the fixture (plain HTTP like port 5000, or TLS with login
// like port 8971) and returns a source on it.
func serve(t *testing.T, f *fixture, tlsLogin bool, mod func(*frigate.Config)) *frigate.Source {
	t.Helper()
	var ts *httptest.Server
	var cfg frigate.Config
	if tlsLogin {
		f.user, f.password = user, password
		ts = httptest.NewTLSServer(f.handler())
		sum := sha256.Sum256(ts.Certificate().Raw)
		var err error
		cfg, err = frigate.ParseAddress(strings.Replace(ts.URL, "https://", "https://"+user+":"+password+"@", 1) +
			"?fingerprint=" + hex.EncodeToString(sum[:]) + "&name=Fixture+site")
		if err != nil {
			t.Fatal(err)
		}
	} else {
		ts = httptest.NewServer(f.handler())
		cfg = frigate.Config{URL: ts.URL}
	}
	t.Cleanup(ts.Close)
	if mod != nil {
		mod(&cfg)
	}
	src, err := frigate.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(src.CloseIdleConnections)
	t.Cleanup(func() {
		if n := f.badQuery.Load(); n > 0 {
			t.Errorf("%d recordings requests without both after and before", n)
		}
	})
	return src
}

// TestConformance runs the vms conformance suite on the Frigate fixture
// (a stand-in: Frigate cannot run here), behind TLS with a login.
func TestConformance(t *testing.T) {
	f := newFixture(t)
	src := serve(t, f, true, nil)
	vmstest.Run(t, vmstest.Fixture{
		Source:    src,
		Camera:    camera,
		Want:      f.want(camera),
		Tolerance: 100 * time.Millisecond,
		ClipSlack: 10 * time.Second, // whole segments
		Secrets:   []string{password, "camsecret-9d2"},
	})
}

func TestCameras(t *testing.T) {
	f := newFixture(t)
	src := serve(t, f, true, nil)
	cams, err := src.Cameras(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []vms.Camera{{ID: "front_door", Name: "Front door", Online: true}, {ID: "garage", Name: "garage"}}
	if len(cams) != len(want) || cams[0] != want[0] || cams[1] != want[1] {
		t.Errorf("cameras %+v, want %+v", cams, want)
	}
	if f.logins.Load() != 1 {
		t.Errorf("%d logins, want 1", f.logins.Load())
	}
	// A camera without footage has no span and is no error.
	spans, err := src.Recordings(context.Background(), "garage", vms.Range{Start: time.Unix(t0, 0), End: time.Unix(t0+3600, 0)})
	if err != nil || len(spans) != 0 {
		t.Errorf("garage: %v %v, want nothing", spans, err)
	}
}

// R-EXP-1, R-EXP-2, R-EXP-3: export across the gap: the gap is listed and
// each span's clip holds the recorded video packets, bit for bit.
func TestExportAcrossGap(t *testing.T) {
	f := newFixture(t)
	src := serve(t, f, false, nil)
	ctx := context.Background()
	r := vms.Range{Start: time.Unix(t0+5, 0), End: time.Unix(t0+65, 0)}
	spans, err := src.Recordings(ctx, camera, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(spans) != 2 {
		t.Fatalf("spans %v, want 2", spans)
	}
	gaps := vms.Gaps(r, spans)
	if len(gaps) != 1 || !gaps[0].Start.Equal(time.Unix(t0+30, 0)) || !gaps[0].End.Equal(time.Unix(t0+50, 0)) {
		t.Fatalf("gaps %v, want [%s/%s]", gaps, time.Unix(t0+30, 0).UTC(), time.Unix(t0+50, 0).UTC())
	}
	for i, sp := range spans {
		clip, err := src.OpenClip(ctx, camera, sp)
		if err != nil {
			t.Fatalf("span %d: %v", i, err)
		}
		if clip.Exact {
			t.Error("a Frigate clip claims to be exact")
		}
		var files []string
		var first time.Time
		for _, s := range f.cameras[camera] {
			ss := vms.Span{Start: time.Unix(0, int64(s.start*1e9)), End: time.Unix(0, int64(s.end*1e9))}
			if ss.End.After(sp.Start) && ss.Start.Before(sp.End) {
				if files == nil {
					first = ss.Start
				}
				files = append(files, s.path)
			}
		}
		if !clip.Start.Equal(first) {
			t.Errorf("span %d: clip starts at %s, want the first segment's start %s", i, clip.Start, first)
		}
		p := save(t, clip)
		if got, want := packets(t, p), packets(t, files...); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("span %d: clip has %d video packets, segments %s have %d, or they differ", i, len(got), files, len(want))
		}
	}
}

// A clip starts with the segment holding the requested start, at that
// segment's start (Frigate cannot cut elsewhere without losing track of
// time), and ends with the segment holding the requested end, even when the
// next segment touches it.
func TestClipOnSegments(t *testing.T) {
	f := newFixture(t)
	src := serve(t, f, false, nil)
	segs := f.cameras[camera]
	at := func(sec float64) time.Time { return time.Unix(0, int64(sec*1e9)) }
	tests := []struct {
		name       string
		from, to   float64 // seconds after t0
		first, end int     // segments [first, end)
	}{
		{"inside one segment", 13.4, 19, 1, 2},
		{"across a boundary", 13.4, 21, 1, 3},
		{"from a boundary", 10, 12, 1, 2},
		{"to a boundary", 2, 10, 0, 1},
		{"whole span", 0, 30, 0, 3},
		{"second span", 51, 73, 3, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clip, err := src.OpenClip(context.Background(), camera, vms.Range{Start: at(t0 + tt.from), End: at(t0 + tt.to)})
			if err != nil {
				t.Fatal(err)
			}
			if want := at(segs[tt.first].start); !clip.Start.Equal(want) {
				t.Errorf("clip starts at %s, want %s", clip.Start, want.UTC())
			}
			var files []string
			for _, s := range segs[tt.first:tt.end] {
				files = append(files, s.path)
			}
			if got, want := packets(t, save(t, clip)), packets(t, files...); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("clip has %d packets, segments %d..%d have %d, or they differ", len(got), tt.first, tt.end-1, len(want))
			}
		})
	}
}

func TestLogin(t *testing.T) {
	ctx := context.Background()
	t.Run("WrongPassword", func(t *testing.T) {
		f := newFixture(t)
		src := serve(t, f, true, func(c *frigate.Config) { c.Password = "not-the-password" })
		_, err := src.Cameras(ctx)
		if !errors.Is(err, frigate.ErrUnauthorized) {
			t.Errorf("Cameras with a wrong password: %v, want ErrUnauthorized", err)
		}
		if err != nil && strings.Contains(err.Error(), "not-the-password") {
			t.Errorf("error reveals the password: %v", err)
		}
	})
	t.Run("SessionExpires", func(t *testing.T) {
		f := newFixture(t)
		f.expireAfter = 2
		src := serve(t, f, true, nil)
		for i := 0; i < 3; i++ {
			if _, err := src.Recordings(ctx, camera, f.want(camera)[0]); err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
		}
		if n := f.logins.Load(); n < 2 {
			t.Errorf("%d logins, want a new login once the session expired", n)
		}
	})
	t.Run("WrongFingerprint", func(t *testing.T) {
		f := newFixture(t)
		src := serve(t, f, true, func(c *frigate.Config) { c.Fingerprint = strings.Repeat("ab", 32); c.Retries = 1 })
		_, err := src.Cameras(ctx)
		if err == nil || !strings.Contains(err.Error(), "fingerprint") {
			t.Errorf("Cameras with a wrong certificate: %v, want a fingerprint error", err)
		}
	})
	t.Run("Bearer", func(t *testing.T) {
		f := newFixture(t)
		src := serve(t, f, true, nil)
		if _, err := src.Cameras(ctx); err != nil { // logs in: the fixture now holds a token
			t.Fatal(err)
		}
		f.mu.Lock()
		tok := f.token
		f.mu.Unlock()
		ts := httptest.NewTLSServer(f.handler())
		defer ts.Close()
		b, err := frigate.New(frigate.Config{URL: ts.URL, Token: tok, HTTPClient: ts.Client()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Cameras(ctx); err != nil {
			t.Errorf("Cameras with a bearer token: %v", err)
		}
	})
}

// hostile puts a misbehaving server in front of the fixture: a stand-in for
// broken or hostile Frigate answers.
func TestHostileAnswers(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name    string
		path    string // answered by the misbehaving handler; others go to the fixture
		handler http.HandlerFunc
		do      func(*frigate.Source) error
		want    error
	}{
		{"huge config", "/api/config", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `{"cameras":{"a":{"name":"`)
			w.Write(make([]byte, 2<<20))
		}, func(s *frigate.Source) error { _, err := s.Cameras(context.Background()); return err }, frigate.ErrBadResponse},
		{"negative duration", "/api/front_door/recordings", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `[{"start_time":1767268810.0,"end_time":1767268800.0}]`)
		}, func(s *frigate.Source) error {
			_, err := s.Recordings(context.Background(), camera, f.want(camera)[0])
			return err
		}, frigate.ErrBadResponse},
		{"wrong types", "/api/front_door/recordings", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `[{"start_time":"yesterday","end_time":true}]`)
		}, func(s *frigate.Source) error {
			_, err := s.Recordings(context.Background(), camera, f.want(camera)[0])
			return err
		}, frigate.ErrBadResponse},
		{"truncated clip", "", func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/clip.mp4") {
				rec := httptest.NewRecorder()
				f.handler().ServeHTTP(rec, r)
				w.Write(rec.Body.Bytes()[:rec.Body.Len()*2/3])
				return
			}
			f.handler().ServeHTTP(w, r)
		}, func(s *frigate.Source) error { return readClip(s, f) }, frigate.ErrTruncated},
		{"no recordings", "", func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/clip.mp4") {
				writeJSON(w, http.StatusBadRequest, map[string]any{"success": false, "message": "No recordings found for the specified time range"})
				return
			}
			f.handler().ServeHTTP(w, r)
		}, func(s *frigate.Source) error { return readClip(s, f) }, vms.ErrNoFootage},
		{"server error on clip", "", func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/clip.mp4") {
				writeJSON(w, http.StatusInternalServerError, map[string]any{"success": false, "message": "Could not create clip from recordings"})
				return
			}
			f.handler().ServeHTTP(w, r)
		}, func(s *frigate.Source) error { return readClip(s, f) }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux := http.NewServeMux()
			mux.Handle("/", f.handler())
			if tt.path != "" {
				mux.HandleFunc(tt.path, tt.handler)
			} else {
				mux = http.NewServeMux()
				mux.HandleFunc("/", tt.handler)
			}
			ts := httptest.NewServer(mux)
			defer ts.Close()
			src, err := frigate.New(frigate.Config{URL: ts.URL, MaxJSON: 1 << 20})
			if err != nil {
				t.Fatal(err)
			}
			defer src.CloseIdleConnections()
			err = tt.do(src)
			if tt.want == nil {
				var se *frigate.StatusError
				if !errors.As(err, &se) || !strings.Contains(err.Error(), "Could not create clip") {
					t.Errorf("got %v, want the server's message", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func readClip(s *frigate.Source, f *fixture) error {
	sp := f.want(camera)[0]
	clip, err := s.OpenClip(context.Background(), camera, vms.Range{Start: sp.Start.Add(2 * time.Second), End: sp.Start.Add(25 * time.Second)})
	if err != nil {
		return err
	}
	defer clip.Close()
	_, err = io.Copy(io.Discard, clip)
	return err
}

func save(t *testing.T, clip *vms.Clip) string {
	t.Helper()
	defer clip.Close()
	p := filepath.Join(t.TempDir(), "clip.mp4")
	out, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if _, err := io.Copy(out, clip); err != nil {
		t.Fatal(err)
	}
	return p
}

// packets lists the MD5 of every H.264 video packet of the files, in order,
// without its parameter sets (SPS, PPS). Frigate's clip.mp4 is made by
// ffmpeg's concat demuxer, whose auto_convert repeats the parameter sets in
// front of every keyframe; the coded pictures (slices, SEI) stay bit-exact,
// and that is what is compared.
func packets(t *testing.T, files ...string) []string {
	t.Helper()
	var out []string
	for _, f := range files {
		b, err := exec.Command("ffmpeg", "-v", "error", "-i", f, "-map", "0:v:0", "-c", "copy",
			"-bsf:v", "filter_units=remove_types=7|8", "-f", "framemd5", "-").Output()
		if err != nil {
			t.Fatalf("ffmpeg packets of %s: %v", f, err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			fields := strings.Split(line, ",")
			out = append(out, strings.TrimSpace(fields[len(fields)-1]))
		}
	}
	return out
}
