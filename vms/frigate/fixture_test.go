package frigate_test

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"mileo.tech/extract/vms"
)

// fixture is a STAND-IN for a Frigate server, which cannot run here (it
// ships as a Docker image with Python, nginx, go2rtc and a detector). It
// replays the answers documented by Frigate's API and source
// (blakeblackshear/frigate: frigate/api/app.py /api/config and /api/stats,
// frigate/api/record.py /api/{camera}/recordings, frigate/api/media.py
// .../clip.mp4, frigate/api/auth.py /api/login), and it makes clips the way
// Frigate does: the same segment query, the same concat playlist with whole
// second inpoint/outpoint, and the same ffmpeg command over real MP4
// segments recorded with Frigate's segment muxer settings.
type fixture struct {
	dir     string
	cameras map[string][]fixSeg // camera → segments, sorted

	// Login (the authenticated port 8971) when user is set.
	user, password string
	expireAfter    int64 // a token is refused after this many uses (0: never)

	mu       sync.Mutex
	token    string
	uses     int64
	logins   atomic.Int64
	badQuery atomic.Int64 // recordings requests without after or before
}

// fixSeg is one recorded segment, with the times Frigate would store:
// start from the file name (whole seconds), end = start + duration.
type fixSeg struct {
	path       string
	start, end float64
}

// fixture times: the front door recorded 30 s from 2026-01-01T12:00:00Z,
// stopped 20 s, then recorded 24 s; the garage never recorded.
const t0 = 1767268800

var (
	fixOnce sync.Once
	fixDir  string
	fixSegs map[string][]fixSeg
	fixErr  error
)

// recordFixture records the segments once per test binary.
func recordFixture(t *testing.T) (string, map[string][]fixSeg) {
	t.Helper()
	for _, tool := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s not installed", tool)
			}
			t.Skipf("%s not installed", tool)
		}
	}
	fixOnce.Do(func() {
		fixDir, fixErr = os.MkdirTemp("", "frigate-fixture-")
		if fixErr != nil {
			return
		}
		var segs []fixSeg
		for _, sess := range []struct {
			name  string
			start float64
			secs  int
		}{{"a", t0, 30}, {"b", t0 + 50, 24}} {
			// Frigate's record output: -f segment -segment_time 10
			// -segment_format mp4 -reset_timestamps 1 -c copy.
			pattern := filepath.Join(fixDir, sess.name+"%02d.mp4")
			out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin",
				"-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", strconv.Itoa(sess.secs),
				"-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-bf", "0", "-pix_fmt", "yuv420p",
				"-f", "segment", "-segment_time", "10", "-segment_format", "mp4", "-reset_timestamps", "1",
				pattern).CombinedOutput()
			if err != nil {
				fixErr = fmt.Errorf("record fixture: %v: %s", err, out)
				return
			}
			files, _ := filepath.Glob(filepath.Join(fixDir, sess.name+"*.mp4"))
			sort.Strings(files)
			at := sess.start
			for _, f := range files {
				d, err := duration(f)
				if err != nil {
					fixErr = err
					return
				}
				segs = append(segs, fixSeg{path: f, start: math.Floor(at), end: math.Floor(at) + d})
				at += d
			}
		}
		fixSegs = map[string][]fixSeg{"front_door": segs, "garage": nil}
	})
	if fixErr != nil {
		t.Fatal(fixErr)
	}
	return fixDir, fixSegs
}

func duration(f string) (float64, error) {
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", f).Output()
	if err != nil {
		return 0, fmt.Errorf("ffprobe %s: %v", f, err)
	}
	return strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
}

func newFixture(t *testing.T) *fixture {
	dir, segs := recordFixture(t)
	return &fixture{dir: dir, cameras: segs}
}

// want returns the ground truth spans of a camera.
func (f *fixture) want(camera string) []vms.Span {
	var spans []vms.Span
	for _, s := range f.cameras[camera] {
		spans = append(spans, vms.Span{Start: time.Unix(int64(s.start), 0).UTC(), End: time.Unix(0, int64(s.end*1e9)).UTC()})
	}
	return vms.Merge(spans, 0)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// authorized checks the session cookie or bearer token like Frigate's
// auth endpoint behind nginx.
func (f *fixture) authorized(r *http.Request) bool {
	if f.user == "" {
		return true
	}
	got := ""
	if c, err := r.Cookie("frigate_token"); err == nil {
		got = c.Value
	}
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		got = strings.TrimPrefix(h, "Bearer ")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if got == "" || got != f.token {
		return false
	}
	f.uses++
	if f.expireAfter > 0 && f.uses > f.expireAfter {
		f.token = "expired"
		return false
	}
	return true
}

func (f *fixture) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/login", f.login)
	mux.HandleFunc("GET /api/config", f.auth(f.config))
	mux.HandleFunc("GET /api/stats", f.auth(f.stats))
	mux.HandleFunc("GET /api/{camera}/recordings", f.auth(f.recordings))
	mux.HandleFunc("GET /api/{camera}/start/{start}/end/{end}/clip.mp4", f.auth(f.clip))
	return mux
}

func (f *fixture) auth(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !f.authorized(r) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		h(w, r)
	}
}

// login: POST /api/login {"user","password"} → 200 with the JWT in the
// frigate_token cookie, or 401 {"message": "Invalid credentials"}.
func (f *fixture) login(w http.ResponseWriter, r *http.Request) {
	var body struct {
		User     string `json:"user"`
		Password string `json:"password"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": []map[string]any{{"msg": "invalid body"}}})
		return
	}
	if f.user == "" || body.User != f.user || body.Password != f.password {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "Invalid credentials"})
		return
	}
	n := f.logins.Add(1)
	f.mu.Lock()
	f.token = fmt.Sprintf("eyJhbGciOiJIUzI1NiJ9.session-%d.sig", n)
	f.uses = 0
	tok := f.token
	f.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: "frigate_token", Value: tok, Path: "/", HttpOnly: true,
		Expires: time.Now().Add(24 * time.Hour)})
	w.WriteHeader(http.StatusOK)
}

// config: the shape of Frigate's /api/config (a subset). The ffmpeg input
// holds the camera's own password, which the connector must never show.
func (f *fixture) config(w http.ResponseWriter, r *http.Request) {
	camera := func(name string, friendly any) map[string]any {
		return map[string]any{
			"name": name, "friendly_name": friendly, "enabled": true,
			"ffmpeg": map[string]any{"inputs": []any{map[string]any{
				"path": "rtsp://admin:camsecret-9d2@192.0.2.10:554/" + name, "roles": []string{"detect", "record"},
			}}},
			"detect": map[string]any{"enabled": true, "width": 1280, "height": 720, "fps": 5},
			"record": map[string]any{"enabled": true, "retain": map[string]any{"days": 10, "mode": "all"}},
			"zones":  map[string]any{},
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"cameras": map[string]any{
			"front_door": camera("front_door", "Front door"),
			"garage":     camera("garage", nil),
		},
		"mqtt":    map[string]any{"enabled": false},
		"record":  map[string]any{"enabled": true},
		"version": "0.16.0-fixture",
	})
}

// stats: /api/stats; the garage delivers no frames.
func (f *fixture) stats(w http.ResponseWriter, r *http.Request) {
	cam := func(fps float64) map[string]any {
		return map[string]any{"camera_fps": fps, "process_fps": fps, "skipped_fps": 0.0, "detection_fps": 0.0,
			"detection_enabled": true, "pid": 101, "capture_pid": 102, "ffmpeg_pid": 103, "audio_rms": 0.0, "audio_dBFS": 0.0}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"cameras":   map[string]any{"front_door": cam(5.1), "garage": cam(0)},
		"detectors": map[string]any{},
		"service":   map[string]any{"uptime": 3600, "version": "0.16.0-fixture", "storage": map[string]any{}},
	})
}

// recordings: /api/{camera}/recordings?after=&before= lists the segments
// with end_time >= after and start_time <= before, ordered by start_time;
// an unknown camera gives an empty list (Frigate does not check).
func (f *fixture) recordings(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	after, err1 := strconv.ParseFloat(q.Get("after"), 64)
	before, err2 := strconv.ParseFloat(q.Get("before"), 64)
	if err1 != nil || err2 != nil {
		// Frigate would silently use defaults computed at its start-up.
		f.badQuery.Add(1)
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": "after and before are required here"})
		return
	}
	out := []map[string]any{}
	for _, s := range f.cameras[r.PathValue("camera")] {
		if s.end >= after && s.start <= before {
			out = append(out, map[string]any{
				"id":         fmt.Sprintf("%.1f-%s", s.start, filepath.Base(s.path)),
				"start_time": s.start, "end_time": s.end,
				"segment_size": 0.3, "motion": 120, "objects": 0, "duration": s.end - s.start,
			})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// clip: /api/{camera}/start/{start_ts}/end/{end_ts}/clip.mp4, as Frigate's
// recording_clip: segments whose start or end lies in [start, end] or that
// contain it, a concat playlist with int() in and out points, and ffmpeg
// -f concat -c copy -movflags frag_keyframe+empty_moov -f mp4 pipe:.
func (f *fixture) clip(w http.ResponseWriter, r *http.Request) {
	start, err1 := strconv.ParseFloat(r.PathValue("start"), 64)
	end, err2 := strconv.ParseFloat(r.PathValue("end"), 64)
	if err1 != nil || err2 != nil {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": []map[string]any{{"msg": "Input should be a valid number"}}})
		return
	}
	var lines []string
	for _, s := range f.cameras[r.PathValue("camera")] {
		if !(s.start >= start && s.start <= end || s.end >= start && s.end <= end || start > s.start && end < s.end) {
			continue
		}
		lines = append(lines, fmt.Sprintf("file '%s'", s.path))
		if s.start < start {
			lines = append(lines, fmt.Sprintf("inpoint %d", int(start-s.start)))
		}
		if s.end > end {
			lines = append(lines, fmt.Sprintf("outpoint %d", int(end-s.start)))
		}
	}
	if len(lines) == 0 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"success": false, "message": "No recordings found for the specified time range"})
		return
	}
	pl, err := os.CreateTemp("", "playlist-*.txt")
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	defer os.Remove(pl.Name())
	pl.WriteString(strings.Join(lines, "\n") + "\n")
	pl.Close()
	cmd := exec.CommandContext(r.Context(), "ffmpeg", "-hide_banner", "-y", "-protocol_whitelist", "pipe,file",
		"-f", "concat", "-safe", "0", "-i", pl.Name(), "-c", "copy",
		"-movflags", "frag_keyframe+empty_moov", "-f", "mp4", "pipe:")
	w.Header().Set("Content-Type", "video/mp4")
	cmd.Stdout = w
	cmd.Run()
}
