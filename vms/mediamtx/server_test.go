package mediamtx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"mileo.tech/extract/export"
	"mileo.tech/extract/internal/testmedia"
	"mileo.tech/extract/vms"
	"mileo.tech/extract/vms/connect"
	"mileo.tech/extract/vms/mediamtx"
	"mileo.tech/extract/vms/vmstest"
)

// The tests in this file run a real MediaMTX v1.20.1, built once by
// scripts/mediamtx.sh (or named by $MILEO_MEDIAMTX), on loopback ports. A
// publisher (ffmpeg -re, real time) sends two RTSP sessions of ~12 s
// separated by ~10 s of silence, so the recording has one gap.

const (
	apiUser = "operator"
	apiPass = "s3cret-Pass-1f9c"
	camera  = "cam1"
)

// server is a running MediaMTX with its recording.
type server struct {
	playback, api string // http://127.0.0.1:PORT
	rtsp          string // rtsp://127.0.0.1:PORT
	recDir        string
	// sessions are the publisher's wall-clock intervals.
	sessions []vms.Range
}

// binary returns the MediaMTX binary, building it if needed; it skips when
// the build is impossible here (no network, no time), except in CI.
func binary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("MILEO_MEDIAMTX"); p != "" {
		return p
	}
	script := filepath.Join(testmedia.Root(), "scripts", "mediamtx.sh")
	var stderr bytes.Buffer
	cmd := exec.Command("bash", script)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := fmt.Sprintf("MediaMTX could not be built by scripts/mediamtx.sh (network or time missing?): %v\n%s", err, lastLines(stderr.String(), 15))
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return strings.TrimSpace(string(out))
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s not installed", tool)
			}
			t.Skipf("%s not installed", tool)
		}
	}
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// start runs cmd in its own process group and kills the group at cleanup.
func start(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		pgid := cmd.Process.Pid
		syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			syscall.Kill(-pgid, syscall.SIGKILL)
			<-done
		}
	})
}

const config = `logLevel: info
logDestinations: [stdout]
readTimeout: 10s
writeTimeout: 10s
authInternalUsers:
- user: any
  permissions:
  - action: publish
  - action: read
- user: %[1]s
  pass: %[2]s
  permissions:
  - action: api
  - action: playback
api: yes
apiAddress: 127.0.0.1:%[3]d
playback: yes
playbackAddress: 127.0.0.1:%[4]d
rtsp: yes
rtspTransports: [tcp]
rtspAddress: 127.0.0.1:%[5]d
rtmp: no
hls: no
webrtc: no
srt: no
moq: no
metrics: no
pprof: no
pathDefaults:
  record: yes
  recordPath: %[6]s/%%path/%%Y-%%m-%%d_%%H-%%M-%%S-%%f
  recordFormat: fmp4
  recordPartDuration: 1s
  recordSegmentDuration: 10s
  recordDeleteAfter: 0s
paths:
  cam1:
  all_others:
`

// startServer starts MediaMTX on free loopback ports.
func startServer(t *testing.T) *server {
	t.Helper()
	need(t, "ffmpeg", "ffprobe")
	bin := binary(t)
	dir := t.TempDir()
	s := &server{recDir: filepath.Join(dir, "rec")}
	pAPI, pPlay, pRTSP := freePort(t), freePort(t), freePort(t)
	s.api = fmt.Sprintf("http://127.0.0.1:%d", pAPI)
	s.playback = fmt.Sprintf("http://127.0.0.1:%d", pPlay)
	s.rtsp = fmt.Sprintf("rtsp://127.0.0.1:%d", pRTSP)
	conf := filepath.Join(dir, "mediamtx.yml")
	if err := os.WriteFile(conf, fmt.Appendf(nil, config, apiUser, apiPass, pAPI, pPlay, pRTSP, s.recDir), 0o600); err != nil {
		t.Fatal(err)
	}
	logf, err := os.Create(filepath.Join(dir, "mediamtx.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		logf.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			t.Logf("MediaMTX log:\n%s", lastLines(string(b), 40))
		}
	})
	cmd := exec.Command(bin, conf)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TZ=UTC")
	cmd.Stdout, cmd.Stderr = logf, logf
	start(t, cmd)
	for deadline := time.Now().Add(15 * time.Second); ; {
		req, _ := http.NewRequest(http.MethodGet, s.api+"/v3/paths/list", nil)
		req.SetBasicAuth(apiUser, apiPass)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("MediaMTX did not start: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return s
}

// publish sends a synthetic H.264 stream (test pattern with the time burned
// in, one keyframe a second) in real time for d.
func (s *server) publish(t *testing.T, path string, d time.Duration) {
	t.Helper()
	vf := "testsrc=size=320x240:rate=25"
	if font := "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"; fileExists(font) {
		vf += ",drawtext=fontfile=" + font + ":text='%{localtime\\:%T}':x=8:y=200:fontsize=20:fontcolor=white:box=1:boxcolor=black"
	}
	ctx, cancel := context.WithTimeout(context.Background(), d+20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin",
		"-re", "-f", "lavfi", "-i", vf, "-t", strconv.FormatFloat(d.Seconds(), 'f', -1, 64),
		"-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-bf", "0",
		"-pix_fmt", "yuv420p", "-f", "rtsp", "-rtsp_transport", "tcp", s.rtsp+"/"+path)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	begin := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("publish %s: %v: %s", path, err, stderr.String())
	}
	s.sessions = append(s.sessions, vms.Range{Start: begin, End: time.Now()})
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// segment is one recorded file.
type segment struct {
	path string
	span vms.Span
}

// segments reads the recording folder: start times from the file names
// (MediaMTX's %Y-%m-%d_%H-%M-%S-%f, UTC here) and durations from ffprobe.
func (s *server) segments(t *testing.T, path string) []segment {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(s.recDir, path, "*.mp4"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recording in %s: %v", s.recDir, err)
	}
	sort.Strings(files)
	var segs []segment
	for _, f := range files {
		base := strings.TrimSuffix(filepath.Base(f), ".mp4")
		i := strings.LastIndexByte(base, '-')
		st, err := time.Parse("2006-01-02_15-04-05.000000", base[:max(i, 0)]+"."+base[i+1:])
		if err != nil {
			t.Fatalf("segment name %q: %v", base, err)
		}
		out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", f).Output()
		if err != nil {
			t.Fatalf("ffprobe %s: %v", f, err)
		}
		secs, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
		if err != nil {
			t.Fatalf("duration of %s: %q", f, out)
		}
		segs = append(segs, segment{path: f, span: vms.Span{Start: st, End: st.Add(time.Duration(secs * float64(time.Second)))}})
	}
	return segs
}

// packets lists the MD5 of every video packet of the files, in order.
func packets(t *testing.T, files ...string) []string {
	t.Helper()
	var out []string
	for _, f := range files {
		b, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
			"packet=data_hash", "-show_data_hash", "MD5", "-of", "csv=p=0", f).Output()
		if err != nil {
			t.Fatalf("ffprobe packets of %s: %v", f, err)
		}
		out = append(out, strings.Fields(string(b))...)
	}
	return out
}

func (s *server) source(t *testing.T, user, pass string, mod func(*mediamtx.Config)) *mediamtx.Source {
	t.Helper()
	play := strings.Replace(s.playback, "http://", "http://"+user+":"+pass+"@", 1)
	cfg, err := mediamtx.ParseAddress(play + "?api=" + s.api + "&name=Test+site")
	if err != nil {
		t.Fatal(err)
	}
	if mod != nil {
		mod(&cfg)
	}
	src, err := mediamtx.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(src.CloseIdleConnections)
	return src
}

// TestRealServer records ~30 s with a gap on a real MediaMTX, lists it,
// exports across the gap and checks the footage bit for bit.
func TestRealServer(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real MediaMTX for ~45 s")
	}
	srv := startServer(t)
	srv.publish(t, camera, 12*time.Second)
	time.Sleep(10 * time.Second)
	srv.publish(t, camera, 12*time.Second)

	src := srv.source(t, apiUser, apiPass, nil)
	ctx := context.Background()

	// The recorder closes the last segment shortly after the publisher
	// leaves: wait until the recording covers both sessions.
	var segs []segment
	var want []vms.Span
	for deadline := time.Now().Add(10 * time.Second); ; {
		segs = srv.segments(t, camera)
		spans := make([]vms.Span, len(segs))
		for i, sg := range segs {
			spans[i] = sg.span
		}
		want = vms.Merge(spans, 500*time.Millisecond)
		if len(want) == 2 && want[1].End.After(srv.sessions[1].End.Add(-3*time.Second)) || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(want) != 2 {
		t.Fatalf("recorded spans %v, want 2 (publisher sessions %v)", want, srv.sessions)
	}
	// The ground truth agrees with the publisher's own clock.
	for i, w := range want {
		sess := srv.sessions[i]
		if w.Start.Before(sess.Start.Add(-time.Second)) || w.End.After(sess.End.Add(time.Second)) {
			t.Errorf("recorded span %s lies outside publishing session %s", w, sess)
		}
	}

	t.Run("Cameras", func(t *testing.T) {
		cams, err := src.Cameras(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(cams) != 1 || cams[0].ID != camera || cams[0].Online {
			t.Errorf("cameras %+v, want %s, offline", cams, camera)
		}
	})

	// R-EXP-3: the gap between the two sessions is reported with its ends.
	t.Run("GapAcrossSessions", func(t *testing.T) {
		r := vms.Range{Start: want[0].Start.Add(-5 * time.Second), End: want[1].End.Add(5 * time.Second)}
		spans, err := src.Recordings(ctx, camera, r)
		if err != nil {
			t.Fatal(err)
		}
		if len(spans) != 2 {
			t.Fatalf("spans %v, want 2", spans)
		}
		gaps := vms.Gaps(r, spans)
		if len(gaps) != 3 {
			t.Fatalf("gaps %v, want 3 (before, between, after)", gaps)
		}
		if d := gaps[1].Duration(); d < 7*time.Second || d > 14*time.Second {
			t.Errorf("gap between sessions lasts %s, want ~10 s", d)
		}
	})

	// R-EXP-1, R-EXP-2: exporting across the gap gives one clip per span
	// whose video packets are the recorded ones, bit for bit.
	t.Run("BitExactAcrossGap", func(t *testing.T) {
		r := vms.Range{Start: want[0].Start.Add(-5 * time.Second), End: want[1].End.Add(5 * time.Second)}
		spans, err := src.Recordings(ctx, camera, r)
		if err != nil {
			t.Fatal(err)
		}
		for i, sp := range spans {
			clip, err := src.OpenClip(ctx, camera, sp)
			if err != nil {
				t.Fatalf("span %d: %v", i, err)
			}
			if !clip.Start.Equal(sp.Start) || !clip.Exact {
				t.Errorf("clip start %s exact %v, want %s exact", clip.Start, clip.Exact, sp.Start)
			}
			p := filepath.Join(t.TempDir(), "clip.mp4")
			f, err := os.Create(p)
			if err != nil {
				t.Fatal(err)
			}
			_, err = io.Copy(f, clip)
			clip.Close()
			f.Close()
			if err != nil {
				t.Fatalf("span %d: %v", i, err)
			}
			var files []string
			for _, sg := range segs {
				if _, ok := sg.span.Intersect(sp); ok {
					files = append(files, sg.path)
				}
			}
			got, rec := packets(t, p), packets(t, files...)
			if len(got) == 0 || strings.Join(got, ",") != strings.Join(rec, ",") {
				t.Errorf("span %d: clip has %d video packets, the recording %d, or they differ", i, len(got), len(rec))
			}
		}
	})

	// Issue #5: an export from the address `case export --source
	// mediamtx:…` takes (opened by vms/connect, as the CLI does) across the
	// gap reports it (complete with gaps) and delivers the recorded packets
	// bit for bit. The free `export` command that this test drove is
	// closed (issue #15): the case export runs the same export.Run.
	t.Run("ExportFromAddress", func(t *testing.T) {
		r := vms.Range{Start: want[0].Start.Add(-2 * time.Second), End: want[1].End}
		addr := "mediamtx:" + strings.Replace(srv.playback, "http://", "http://"+apiUser+":"+apiPass+"@", 1) + "?api=" + srv.api
		out := t.TempDir()
		if d := os.Getenv("MILEO_KEEP"); d != "" {
			out = d
		}
		s, err := connect.Open(ctx, addr)
		if err != nil {
			t.Fatal(err)
		}
		res, err := export.Run(ctx, export.Job{Source: s, Cameras: []string{camera}, Range: r, OutDir: out})
		if err != nil {
			t.Fatalf("export: %v", err)
		}
		summary, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		if res.Complete {
			t.Fatalf("complete, want completed with gaps\n%s", summary)
		}
		if strings.Contains(string(summary), apiPass) {
			t.Error("the source password appears in the summary")
		}
		var between bool
		for _, g := range res.Gaps {
			if g.Range.Start.After(want[0].End.Add(-time.Second)) && g.Range.End.Before(want[1].Start.Add(time.Second)) {
				between = true
			}
		}
		if !between || len(res.Files) != 1 {
			t.Fatalf("gaps %+v, files %d: want the gap between the sessions and one file", res.Gaps, len(res.Files))
		}
		var files []string
		for _, sg := range segs {
			files = append(files, sg.path)
		}
		got, rec := packets(t, filepath.Join(out, res.Files[0].Name)), packets(t, files...)
		if len(got) < len(rec)*3/4 || !strings.Contains(","+strings.Join(rec, ",")+",", ","+strings.Join(got[len(got)/2:], ",")+",") {
			t.Errorf("exported %d packets, recorded %d: the second session's packets must be the recorded ones", len(got), len(rec))
		}
	})

	t.Run("Conformance", func(t *testing.T) {
		vmstest.Run(t, vmstest.Fixture{
			Source:    src,
			Camera:    camera,
			Want:      want,
			Tolerance: 300 * time.Millisecond,
			Secrets:   []string{apiPass},
		})
	})

	t.Run("WrongPassword", func(t *testing.T) {
		bad := srv.source(t, apiUser, "wrong-password", func(c *mediamtx.Config) { c.Retries = 1 })
		_, err := bad.Cameras(ctx)
		if !errors.Is(err, mediamtx.ErrUnauthorized) {
			t.Errorf("Cameras with a wrong password: %v, want ErrUnauthorized", err)
		}
		_, err = bad.Recordings(ctx, camera, want[0])
		if !errors.Is(err, mediamtx.ErrUnauthorized) {
			t.Errorf("Recordings with a wrong password: %v, want ErrUnauthorized", err)
		}
		if err != nil && strings.Contains(err.Error(), "wrong-password") {
			t.Errorf("error reveals the password: %v", err)
		}
	})

	t.Run("Faults", func(t *testing.T) { faults(t, srv, want) })
}
