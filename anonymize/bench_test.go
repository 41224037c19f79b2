package anonymize

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/internal/demo"
	"mileo.tech/extract/internal/testmedia"
)

// demoClip writes the 1080p25 camera of the demo archive ("entree", the
// one-by-one-person clip scaled up) for d and returns the MP4.
func demoClip(b *testing.B, d time.Duration) string {
	b.Helper()
	dir := b.TempDir()
	cam := demo.Cameras(false)[0]
	if cam.Width != 1920 {
		b.Skipf("demo camera %s is %dx%d, not 1080p", cam.ID, cam.Width, cam.Height)
	}
	_, err := demo.Generate(context.Background(), dir, demo.Options{
		Duration: d, Segment: time.Hour, Cameras: []demo.Camera{cam}, MediaDir: testmedia.Dir(b, "video"),
	})
	if err != nil {
		b.Fatal(err)
	}
	m, err := filepath.Glob(filepath.Join(dir, cam.ID, "*.mp4"))
	if err != nil || len(m) != 1 {
		b.Fatalf("demo clip: %v %v", m, err)
	}
	return m[0]
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkAnonymize1080p anonymizes 12 s of the 1080p25 demo camera and
// compares with `ffmpeg -c:v libx264 -preset veryfast` on the same clip
// (goal: fps ≥ 0.5 × ffmpeg's). Wall-clock fps depend on what else runs;
// cpu-ratio (ffmpeg's CPU time over ours) does much less.
//
//	go test ./anonymize -run XXX -bench Anonymize1080p -benchtime 1x
func BenchmarkAnonymize1080p(b *testing.B) {
	in := demoClip(b, 12*time.Second)
	det := loadDetector(b)
	ref := filepath.Join(b.TempDir(), "ref.mp4")
	start := time.Now()
	cmd := exec.Command("ffmpeg", "-loglevel", "error", "-y", "-i", in, "-c:v", "libx264", "-preset", "veryfast", "-an", ref)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Skipf("ffmpeg: %v %s", err, out)
	}
	ffWall := time.Since(start)
	ffCPU := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	var frames int64
	run := func(b *testing.B, f func(out string) (*Plan, error)) {
		var wall, cpu time.Duration
		for b.Loop() {
			out := filepath.Join(b.TempDir(), "out.mp4")
			c0, t0 := cpuTime(), time.Now()
			p, err := f(out)
			if err != nil {
				b.Fatal(err)
			}
			wall, cpu = wall+time.Since(t0), cpu+cpuTime()-c0
			frames = p.Source.Frames
			if p.Stats != nil {
				b.Logf("%d tracks, %+v", len(p.Tracks), *p.Stats)
			}
			os.Remove(out)
		}
		n := float64(b.N)
		fps, ffFPS := float64(frames)*n/wall.Seconds(), float64(frames)/ffWall.Seconds()
		b.ReportMetric(fps, "fps")
		b.ReportMetric(ffFPS, "ffmpeg-fps")
		b.ReportMetric(fps/ffFPS, "ratio")
		b.ReportMetric(ffCPU.Seconds()/(cpu.Seconds()/n), "cpu-ratio")
		b.ReportMetric(float64(cpu.Milliseconds())/n/float64(frames), "cpu-ms/frame")
	}
	b.Run("one-pass", func(b *testing.B) {
		run(b, func(out string) (*Plan, error) {
			return PlanOptions{}.Anonymize(context.Background(), av.Input{Path: in}, av.Output{Path: out}, det, nil, RenderOptions{}, nil)
		})
	})
	b.Run("one-pass-key8", func(b *testing.B) {
		// Motion searched every 8 frames (0.32 s) instead of 5.
		run(b, func(out string) (*Plan, error) {
			return PlanOptions{KeyInterval: 8}.Anonymize(context.Background(), av.Input{Path: in}, av.Output{Path: out}, det, nil, RenderOptions{}, nil)
		})
	})
	b.Run("one-pass-crf23", func(b *testing.B) {
		run(b, func(out string) (*Plan, error) {
			return PlanOptions{}.Anonymize(context.Background(), av.Input{Path: in}, av.Output{Path: out}, det, nil, RenderOptions{CRF: 23}, nil)
		})
	})
	b.Run("encode-only", func(b *testing.B) {
		// Decoding and encoding with nothing to cover: the floor.
		p, err := BuildPlan(context.Background(), av.Input{Path: in}, det, nil)
		if err != nil {
			b.Fatal(err)
		}
		p.Tracks = nil
		run(b, func(out string) (*Plan, error) {
			return p, Render(context.Background(), av.Input{Path: in}, av.Output{Path: out}, p, RenderOptions{}, nil)
		})
	})
	b.Run("plan-then-render", func(b *testing.B) {
		run(b, func(out string) (*Plan, error) {
			p, err := BuildPlan(context.Background(), av.Input{Path: in}, det, nil)
			if err != nil {
				return nil, err
			}
			return p, Render(context.Background(), av.Input{Path: in}, av.Output{Path: out}, p, RenderOptions{}, nil)
		})
	})
}
