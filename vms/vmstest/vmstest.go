package vmstest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/vms"
)

// Fixture is a source over footage whose layout is known.
type Fixture struct {
	// Source is the source under test.
	Source vms.Source
	// Camera is a camera of Source with footage: the spans of Want.
	Camera string
	// Want is the ground truth: Camera's spans of footage, sorted.
	Want []vms.Span
	// Tolerance is the error allowed on span edges, clip starts and clip
	// ends (default 1 s).
	Tolerance time.Duration
	// ClipSlack is how much earlier than asked a clip may start, for
	// sources that cut at keyframes or whole segments (default 0: only
	// Tolerance).
	ClipSlack time.Duration
	// ClipLength is the length of the clips the suite downloads (default 4 s).
	ClipLength time.Duration
	// Secrets (passwords, tokens) must appear neither in Info nor in errors.
	Secrets []string
	// IgnoreGoroutines lists extra substrings of goroutine stacks that are
	// not leaks of the source (e.g. a fixture server's own goroutines).
	IgnoreGoroutines []string
}

// Run checks that f.Source behaves as every vms.Source must. See the
// package documentation for the list of checks.
func Run(t *testing.T, f Fixture) {
	t.Helper()
	if f.Source == nil || f.Camera == "" || len(f.Want) == 0 {
		t.Fatal("vmstest: Fixture needs Source, Camera and at least one Want span")
	}
	if f.Tolerance <= 0 {
		f.Tolerance = time.Second
	}
	if f.ClipLength <= 0 {
		f.ClipLength = 4 * time.Second
	}
	for i, s := range f.Want {
		if !s.Valid() || i > 0 && s.Start.Before(f.Want[i-1].End) {
			t.Fatalf("vmstest: Want must be sorted, valid, non-overlapping spans: %v", f.Want)
		}
	}
	s := &suite{Fixture: f}
	t.Run("Info", s.info)
	t.Run("Cameras", s.cameras)
	t.Run("Recordings", s.recordings)
	t.Run("RecordingsClipped", s.recordingsClipped)
	t.Run("RecordingsOutside", s.recordingsOutside)
	t.Run("Gaps", s.gaps)
	t.Run("TimeZone", s.timeZone)
	t.Run("UnknownCamera", s.unknownCamera)
	t.Run("BadRange", s.badRange)
	t.Run("OpenClip", s.openClip)
	t.Run("NoFootage", s.noFootage)
	t.Run("ClipTimeZone", s.clipTimeZone)
	t.Run("Cancel", s.cancel)
}

type suite struct {
	Fixture
}

func (s *suite) ctx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// noSecret fails when text holds one of the fixture's secrets.
func (s *suite) noSecret(t *testing.T, what, text string) {
	t.Helper()
	for _, sec := range s.Secrets {
		if sec != "" && strings.Contains(text, sec) {
			t.Errorf("%s reveals a secret: %q", what, text)
		}
	}
}

func (s *suite) extent() vms.Range {
	return vms.Range{Start: s.Want[0].Start, End: s.Want[len(s.Want)-1].End}
}

func (s *suite) info(t *testing.T) {
	in := s.Source.Info()
	if in.Kind == "" {
		t.Error("Info().Kind is empty")
	}
	if !strings.HasPrefix(in.Address, in.Kind+":") {
		t.Errorf("Info().Address %q does not start with %q", in.Address, in.Kind+":")
	}
	_, rest, _ := strings.Cut(in.Address, ":")
	if u, err := url.Parse(rest); err == nil && u.User != nil {
		t.Errorf("Info().Address %q holds user information", in.Address)
	}
	s.noSecret(t, "Info().Address", in.Address)
	s.noSecret(t, "Info().Name", in.Name)
}

func (s *suite) cameras(t *testing.T) {
	cams, err := s.Source.Cameras(s.ctx(t))
	if err != nil {
		s.noSecret(t, "Cameras error", err.Error())
		t.Fatalf("Cameras: %v", err)
	}
	seen := map[string]bool{}
	for _, c := range cams {
		if c.ID == "" {
			t.Errorf("camera with an empty id: %+v", c)
		}
		if seen[c.ID] {
			t.Errorf("camera %q listed twice", c.ID)
		}
		seen[c.ID] = true
		s.noSecret(t, "camera", fmt.Sprintf("%+v", c))
	}
	if !seen[s.Camera] {
		t.Errorf("Cameras does not list %q: %+v", s.Camera, cams)
	}
}

// checkShape fails unless spans are valid, sorted, non-overlapping and
// inside r.
func checkShape(t *testing.T, spans []vms.Span, r vms.Range) {
	t.Helper()
	for i, sp := range spans {
		if !sp.Valid() {
			t.Errorf("span %d is empty or inverted: %s", i, sp)
		}
		if sp.Start.Before(r.Start) || sp.End.After(r.End) {
			t.Errorf("span %d %s is not inside the request %s", i, sp, r)
		}
		if i > 0 && sp.Start.Before(spans[i-1].End) {
			t.Errorf("spans %d and %d overlap or are not sorted: %s, %s", i-1, i, spans[i-1], sp)
		}
	}
}

func near(a, b time.Time, tol time.Duration) bool {
	d := a.Sub(b)
	return d <= tol && d >= -tol
}

// sameCoverage compares spans with want once both are merged within tol.
func (s *suite) sameCoverage(t *testing.T, got, want []vms.Span) {
	t.Helper()
	g, w := vms.Merge(got, s.Tolerance), vms.Merge(want, s.Tolerance)
	if len(g) != len(w) {
		t.Errorf("got %d spans once merged, want %d\n got:  %v\n want: %v", len(g), len(w), g, w)
		return
	}
	for i := range g {
		if !near(g[i].Start, w[i].Start, s.Tolerance) || !near(g[i].End, w[i].End, s.Tolerance) {
			t.Errorf("span %d: got %s, want %s (±%s)", i, g[i], w[i], s.Tolerance)
		}
	}
}

// R-EXP-1: the spans of footage of a camera are found over any range.
func (s *suite) recordings(t *testing.T) {
	ext := s.extent()
	r := vms.Range{Start: ext.Start.Add(-time.Minute), End: ext.End.Add(time.Minute)}
	got, err := s.Source.Recordings(s.ctx(t), s.Camera, r)
	if err != nil {
		t.Fatalf("Recordings(%s): %v", r, err)
	}
	checkShape(t, got, r)
	s.sameCoverage(t, got, s.Want)
}

func (s *suite) recordingsClipped(t *testing.T) {
	first, last := s.Want[0], s.Want[len(s.Want)-1]
	r := vms.Range{
		Start: first.Start.Add(first.Duration() / 2),
		End:   last.End.Add(-last.Duration() / 2),
	}
	if len(s.Want) == 1 {
		r = vms.Range{Start: first.Start.Add(first.Duration() / 4), End: first.End.Add(-first.Duration() / 4)}
	}
	if !r.Valid() {
		t.Skip("spans too short to clip")
	}
	got, err := s.Source.Recordings(s.ctx(t), s.Camera, r)
	if err != nil {
		t.Fatalf("Recordings(%s): %v", r, err)
	}
	checkShape(t, got, r)
	if len(got) == 0 {
		t.Fatalf("Recordings(%s) found nothing", r)
	}
	// Exact to the microsecond: sources compute span ends from float
	// durations, and recorders name files to the microsecond.
	near := func(a, b time.Time) bool { d := a.Sub(b); return d > -time.Microsecond && d < time.Microsecond }
	if !near(got[0].Start, r.Start) {
		t.Errorf("first span starts at %s, want the request's start %s", got[0].Start, r.Start)
	}
	if !near(got[len(got)-1].End, r.End) {
		t.Errorf("last span ends at %s, want the request's end %s", got[len(got)-1].End, r.End)
	}
	want := vms.ClipTo(s.Want, r)
	s.sameCoverage(t, got, want)
}

func (s *suite) recordingsOutside(t *testing.T) {
	ext := s.extent()
	for _, r := range []vms.Range{
		{Start: ext.Start.Add(-2 * time.Hour), End: ext.Start.Add(-time.Hour)},
		{Start: ext.End.Add(time.Hour), End: ext.End.Add(2 * time.Hour)},
		{Start: ext.Start.Add(-48 * time.Hour), End: ext.Start.Add(-24 * time.Hour)},
	} {
		got, err := s.Source.Recordings(s.ctx(t), s.Camera, r)
		if err != nil {
			t.Errorf("Recordings(%s) outside the footage: %v, want no error", r, err)
			continue
		}
		if len(got) != 0 {
			t.Errorf("Recordings(%s) outside the footage: %v, want none", r, got)
		}
	}
}

// innerGaps returns the gaps between Want's spans wide enough to test.
func (s *suite) innerGaps() []vms.Range {
	var out []vms.Range
	for i := 1; i < len(s.Want); i++ {
		g := vms.Range{Start: s.Want[i-1].End, End: s.Want[i].Start}
		if g.Duration() > 2*s.Tolerance+time.Second {
			out = append(out, g)
		}
	}
	return out
}

// R-EXP-3: every gap in the recordings is found with its start and end.
func (s *suite) gaps(t *testing.T) {
	inner := s.innerGaps()
	if len(inner) == 0 {
		t.Skip("Want has no gap wider than 2×Tolerance+1s")
	}
	ext := s.extent()
	r := vms.Range{Start: ext.Start.Add(-time.Minute), End: ext.End.Add(time.Minute)}
	got, err := s.Source.Recordings(s.ctx(t), s.Camera, r)
	if err != nil {
		t.Fatalf("Recordings(%s): %v", r, err)
	}
	gotGaps := vms.Gaps(r, vms.Merge(got, s.Tolerance))
	wantGaps := vms.Gaps(r, vms.Merge(s.Want, s.Tolerance))
	if len(gotGaps) != len(wantGaps) {
		t.Fatalf("got gaps %v, want %v", gotGaps, wantGaps)
	}
	for i := range gotGaps {
		if !near(gotGaps[i].Start, wantGaps[i].Start, s.Tolerance) || !near(gotGaps[i].End, wantGaps[i].End, s.Tolerance) {
			t.Errorf("gap %d: got %s, want %s (±%s)", i, gotGaps[i], wantGaps[i], s.Tolerance)
		}
	}
	for _, g := range inner {
		in := vms.Range{Start: g.Start.Add(s.Tolerance), End: g.End.Add(-s.Tolerance)}
		got, err := s.Source.Recordings(s.ctx(t), s.Camera, in)
		if err != nil {
			t.Errorf("Recordings(%s) inside a gap: %v", in, err)
		} else if len(got) != 0 {
			t.Errorf("Recordings(%s) inside a gap: %v, want none", in, got)
		}
	}
}

// zones are the time zones the same instants are given in.
func zones() []*time.Location {
	locs := []*time.Location{time.FixedZone("UTC+13:45", 13*3600+45*60), time.FixedZone("UTC-09:30", -(9*3600 + 30*60))}
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		locs = append(locs, l)
	}
	return locs
}

func inZone(r vms.Range, loc *time.Location) vms.Range {
	return vms.Range{Start: r.Start.In(loc), End: r.End.In(loc)}
}

func (s *suite) timeZone(t *testing.T) {
	ext := s.extent()
	r := vms.Range{Start: ext.Start.Add(s.Want[0].Duration() / 3), End: ext.End.Add(time.Second)}
	base, err := s.Source.Recordings(s.ctx(t), s.Camera, r)
	if err != nil {
		t.Fatalf("Recordings(%s): %v", r, err)
	}
	for _, loc := range zones() {
		got, err := s.Source.Recordings(s.ctx(t), s.Camera, inZone(r, loc))
		if err != nil {
			t.Errorf("Recordings in %s: %v", loc, err)
			continue
		}
		if len(got) != len(base) {
			t.Errorf("Recordings in %s: %v, in UTC: %v", loc, got, base)
			continue
		}
		for i := range got {
			if !got[i].Start.Equal(base[i].Start) || !got[i].End.Equal(base[i].End) {
				t.Errorf("Recordings in %s: span %d is %s, in UTC %s", loc, i, got[i], base[i])
			}
		}
	}
}

func (s *suite) unknownCamera(t *testing.T) {
	const cam = "mileo-no-such-camera-7f3a"
	_, err := s.Source.Recordings(s.ctx(t), cam, s.Want[0])
	if !errors.Is(err, vms.ErrUnknownCamera) {
		t.Errorf("Recordings(%q): %v, want ErrUnknownCamera", cam, err)
	}
	if err != nil {
		s.noSecret(t, "error", err.Error())
	}
	clip, err := s.Source.OpenClip(s.ctx(t), cam, s.Want[0])
	if clip != nil {
		clip.Close()
	}
	if !errors.Is(err, vms.ErrUnknownCamera) {
		t.Errorf("OpenClip(%q): %v, want ErrUnknownCamera", cam, err)
	}
	if err != nil {
		s.noSecret(t, "error", err.Error())
	}
}

func (s *suite) badRange(t *testing.T) {
	at := s.Want[0].Start
	for _, r := range []vms.Range{
		{Start: at, End: at},
		{Start: at.Add(time.Second), End: at},
		{},
	} {
		if _, err := s.Source.Recordings(s.ctx(t), s.Camera, r); !errors.Is(err, vms.ErrBadRange) {
			t.Errorf("Recordings(%s): %v, want ErrBadRange", r, err)
		}
		clip, err := s.Source.OpenClip(s.ctx(t), s.Camera, r)
		if clip != nil {
			clip.Close()
		}
		if !errors.Is(err, vms.ErrBadRange) {
			t.Errorf("OpenClip(%s): %v, want ErrBadRange", r, err)
		}
	}
}

// clipRange returns a range of ClipLength in the middle of span, or shorter
// for a short span.
func (s *suite) clipRange(span vms.Span) (vms.Range, bool) {
	d := s.ClipLength
	if max := span.Duration() - 2*s.Tolerance; d > max {
		d = max
	}
	if d < 500*time.Millisecond {
		return vms.Range{}, false
	}
	start := span.Start.Add((span.Duration() - d) / 2)
	return vms.Range{Start: start, End: start.Add(d)}, true
}

// download reads a clip into a file of the test's temporary folder.
func download(t *testing.T, clip *vms.Clip) string {
	t.Helper()
	defer clip.Close()
	p := filepath.Join(t.TempDir(), "clip.mp4")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := io.Copy(f, io.LimitReader(clip, 2<<30)); err != nil {
		t.Fatalf("reading clip %s: %v", clip.Name, err)
	}
	return p
}

// R-EXP-1, R-EXP-2: a clip of the requested range is a playable MP4.
func (s *suite) openClip(t *testing.T) {
	spans := []vms.Span{s.Want[0]}
	if len(s.Want) > 1 {
		spans = append(spans, s.Want[len(s.Want)-1])
	}
	for i, span := range spans {
		r, ok := s.clipRange(span)
		if !ok {
			t.Logf("span %s too short for a clip", span)
			continue
		}
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			clip, err := s.Source.OpenClip(s.ctx(t), s.Camera, r)
			if err != nil {
				t.Fatalf("OpenClip(%s): %v", r, err)
			}
			if clip.ReadCloser == nil {
				t.Fatal("OpenClip returned a clip without a reader")
			}
			if clip.Start.After(r.Start.Add(s.Tolerance)) {
				t.Errorf("clip starts at %s, after the requested %s (±%s)", clip.Start, r.Start, s.Tolerance)
			}
			if clip.Start.Before(r.Start.Add(-s.ClipSlack - s.Tolerance)) {
				t.Errorf("clip starts at %s, more than %s before the requested %s", clip.Start, s.ClipSlack+s.Tolerance, r.Start)
			}
			p := download(t, clip)
			pr := probe(t, p)
			if pr == nil {
				return
			}
			if pr.frames == 0 {
				t.Errorf("clip %s: no video frame decoded", clip.Name)
			}
			end := clip.Start.Add(pr.duration)
			if end.Before(r.End.Add(-s.Tolerance)) {
				t.Errorf("clip %s ends at %s (start %s + %s), before the requested end %s (±%s)",
					clip.Name, end, clip.Start, pr.duration, r.End, s.Tolerance)
			}
		})
	}
}

func (s *suite) noFootage(t *testing.T) {
	ext := s.extent()
	rs := []vms.Range{
		{Start: ext.Start.Add(-2 * time.Hour), End: ext.Start.Add(-2*time.Hour + 2*time.Second)},
		{Start: ext.End.Add(time.Hour), End: ext.End.Add(time.Hour + 2*time.Second)},
	}
	for _, g := range s.innerGaps() {
		mid := g.Start.Add(g.Duration() / 2)
		rs = append(rs, vms.Range{Start: mid.Add(-250 * time.Millisecond), End: mid.Add(250 * time.Millisecond)})
	}
	for _, r := range rs {
		clip, err := s.Source.OpenClip(s.ctx(t), s.Camera, r)
		if clip != nil {
			clip.Close()
		}
		if !errors.Is(err, vms.ErrNoFootage) {
			t.Errorf("OpenClip(%s) without footage: %v, want ErrNoFootage", r, err)
		}
	}
}

func (s *suite) clipTimeZone(t *testing.T) {
	r, ok := s.clipRange(s.Want[0])
	if !ok {
		t.Skip("first span too short for a clip")
	}
	if _, err := exec.LookPath("ffprobe"); err != nil {
		t.Skip("ffprobe not installed")
	}
	clip, err := s.Source.OpenClip(s.ctx(t), s.Camera, r)
	if err != nil {
		t.Fatalf("OpenClip(%s): %v", r, err)
	}
	start := clip.Start
	base := packetHashes(t, download(t, clip))
	loc := zones()[0]
	clip, err = s.Source.OpenClip(s.ctx(t), s.Camera, inZone(r, loc))
	if err != nil {
		t.Fatalf("OpenClip(%s in %s): %v", r, loc, err)
	}
	if !clip.Start.Equal(start) {
		t.Errorf("clip asked in %s starts at %s, asked in UTC at %s", loc, clip.Start, start)
	}
	if got := packetHashes(t, download(t, clip)); got != base {
		t.Errorf("clip asked in %s holds other video packets than asked in UTC", loc)
	}
}

func (s *suite) cancel(t *testing.T) {
	span := s.Want[0]
	for _, w := range s.Want {
		if w.Duration() > span.Duration() {
			span = w
		}
	}
	r := vms.Range{Start: span.Start.Add(s.Tolerance), End: span.End.Add(-s.Tolerance)}
	if !r.Valid() {
		t.Skip("spans too short")
	}
	before := goroutines()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clip, err := s.Source.OpenClip(ctx, s.Camera, r)
	if err != nil {
		t.Fatalf("OpenClip(%s): %v", r, err)
	}
	buf := make([]byte, 512)
	if _, err := io.ReadFull(clip, buf); err != nil {
		clip.Close()
		t.Fatalf("reading the first bytes of %s: %v", clip.Name, err)
	}
	cancel()
	var rerr error
	for i := 0; i < 1<<20 && rerr == nil; i++ {
		_, rerr = clip.Read(buf)
	}
	if !errors.Is(rerr, context.Canceled) {
		t.Errorf("reading after cancel: %v, want an error wrapping context.Canceled", rerr)
	}
	if err := clip.Close(); err != nil && !errors.Is(err, context.Canceled) {
		t.Logf("Close after cancel: %v", err)
	}
	if c, ok := s.Source.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
	ignore := append([]string{
		"net/http.(*persistConn)",
		"net/http.(*conn).serve",
		"net/http.(*Server).Serve",
		"net/http/httptest.",
		"os/exec.",
		"os/signal.",
		"testing.(*T).Run",
		"testing.tRunner",
		"testing.runTests",
		"testing.(*M).",
	}, s.IgnoreGoroutines...)
	var leaked []string
	for deadline := time.Now().Add(5 * time.Second); ; {
		leaked = leaked[:0]
		for id, stack := range goroutines() {
			if _, old := before[id]; old || containsAny(stack, ignore) {
				continue
			}
			leaked = append(leaked, stack)
		}
		if len(leaked) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, st := range leaked {
		t.Errorf("goroutine left running after cancel and Close:\n%s", st)
	}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// goroutines returns the stacks of all goroutines by id.
func goroutines() map[string]string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := map[string]string{}
	for _, block := range strings.Split(string(buf), "\n\n") {
		head, _, _ := strings.Cut(block, "\n")
		f := strings.Fields(head)
		if len(f) >= 2 && f[0] == "goroutine" {
			out[f[1]] = block
		}
	}
	return out
}

type probed struct {
	duration time.Duration
	frames   int
}

// probe opens p with ffprobe, decodes every video frame, and returns the
// presentation duration and the number of frames; nil when ffprobe is
// missing.
func probe(t *testing.T, p string) *probed {
	t.Helper()
	if _, err := exec.LookPath("ffprobe"); err != nil {
		t.Log("ffprobe not installed: clip not decoded")
		return nil
	}
	cmd := exec.Command("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
		"-show_entries", "stream=codec_type,nb_read_frames:format=duration", "-of", "json", p)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v: %s", p, err, stderr.String())
	}
	var res struct {
		Streams []struct {
			CodecType    string `json:"codec_type"`
			NbReadFrames string `json:"nb_read_frames"`
		} `json:"streams"`
		Format struct {
			Duration string `json:"duration"`
		} `json:"format"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("ffprobe %s: %v", p, err)
	}
	if len(res.Streams) == 0 || res.Streams[0].CodecType != "video" {
		t.Fatalf("clip %s has no video stream: %s", p, out)
	}
	frames, _ := strconv.Atoi(res.Streams[0].NbReadFrames)
	secs, err := strconv.ParseFloat(res.Format.Duration, 64)
	if err != nil {
		t.Fatalf("clip %s: no duration: %s", p, out)
	}
	return &probed{duration: time.Duration(secs * float64(time.Second)), frames: frames}
}

// packetHashes returns a digest of the video packets of p (their MD5s in
// order), independent of the container's own bytes.
func packetHashes(t *testing.T, p string) string {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0",
		"-show_entries", "packet=data_hash", "-show_data_hash", "MD5", "-of", "csv=p=0", p).Output()
	if err != nil {
		t.Fatalf("ffprobe packets of %s: %v", p, err)
	}
	sum := sha256.Sum256(out)
	return hex.EncodeToString(sum[:])
}
