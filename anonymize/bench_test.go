package anonymize

import (
	"context"
	"errors"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"mileo.tech/extract/anonymize/anonymizetest"
	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/internal/cv"
	"mileo.tech/extract/internal/testmedia"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// ffmpegRef re-encodes in with `ffmpeg -c:v libx264 -preset veryfast` and
// returns its wall and CPU time.
func ffmpegRef(b *testing.B, in string) (wall, cpu time.Duration) {
	ref := filepath.Join(b.TempDir(), "ref.mp4")
	start := time.Now()
	cmd := exec.Command("ffmpeg", "-loglevel", "error", "-y", "-i", in, "-c:v", "libx264", "-preset", "veryfast", "-an", ref)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Skipf("ffmpeg: %v %s", err, out)
	}
	wall = time.Since(start)
	os.Remove(ref)
	return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// covered returns the share of the faces the detector finds in every
// fifth frame of in, searching the whole picture at its own threshold
// (as a still), whose centre the plan covers.
func covered(b *testing.B, in string, det Detector, p *Plan) float64 {
	r, err := av.OpenInput(av.Input{Path: in})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	red := p.Redactions()
	var faces, hit int
	for f := int64(0); ; f++ {
		fr, err := r.Read(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		if f%5 != 0 {
			continue
		}
		found, err := det.Detect(fr.Image)
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range found {
			faces++
			cx, cy := (d.X1+d.X2)/2, (d.Y1+d.Y2)/2
			ok := false
			for _, c := range red[f] {
				if cx >= c.X1 && cx <= c.X2 && cy >= c.Y1 && cy <= c.Y2 {
					ok = true
					break
				}
			}
			if ok {
				hit++
			} else {
				b.Logf("frame %d: face %.0f,%.0f %.0fx%.0f (score %.2f) not covered", f, d.X1, d.Y1, d.W(), d.H(), d.Score)
			}
		}
	}
	if faces == 0 {
		return 1
	}
	return float64(hit) / float64(faces)
}

// BenchmarkAnonymize1080p anonymizes 12 s of the 1080p25 demo camera with
// each model and compares with `ffmpeg -c:v libx264 -preset veryfast` on
// the same clip, run just before (goal: fps ≥ 0.5 × ffmpeg's). Wall-clock
// fps depend on what else runs; cpu-ratio (ffmpeg's CPU time over ours)
// does much less. peak-MB is the process's peak resident size during the
// run (goal < 600); covered is the share of the faces a whole-picture
// search finds in every fifth input frame that the plan covers (not with
// -short; it counts the detector's false positives too).
//
//	go test ./anonymize -run XXX -bench Anonymize1080p -benchtime 1x
func BenchmarkAnonymize1080p(b *testing.B) {
	in := anonymizetest.DemoClip(b, 12*time.Second)
	run := func(b *testing.B, det Detector, f func(out string) (*Plan, error)) {
		ffWall, ffCPU := ffmpegRef(b, in)
		var wall, cpu time.Duration
		var p *Plan
		peak := anonymizetest.PeakReset()
		for b.Loop() {
			out := filepath.Join(b.TempDir(), "out.mp4")
			c0, t0 := cpuTime(), time.Now()
			var err error
			if p, err = f(out); err != nil {
				b.Fatal(err)
			}
			wall, cpu = wall+time.Since(t0), cpu+cpuTime()-c0
			if p.Stats != nil {
				b.Logf("%d tracks, %+v", len(p.Tracks), *p.Stats)
			}
			os.Remove(out)
		}
		if peak {
			b.ReportMetric(anonymizetest.PeakMB(), "peak-MB")
		}
		n, frames := float64(b.N), float64(p.Source.Frames)
		fps, ffFPS := frames*n/wall.Seconds(), frames/ffWall.Seconds()
		b.ReportMetric(fps, "fps")
		b.ReportMetric(ffFPS, "ffmpeg-fps")
		b.ReportMetric(fps/ffFPS, "ratio")
		b.ReportMetric(ffCPU.Seconds()/(cpu.Seconds()/n), "cpu-ratio")
		b.ReportMetric(float64(cpu.Milliseconds())/n/frames, "cpu-ms/frame")
		if det != nil && !testing.Short() {
			b.ReportMetric(covered(b, in, det, p), "covered")
		}
	}
	for _, m := range []struct{ name, file string }{{"yunet", ModelFile}, {"yunet_n", cv.ModelYuNetN}} {
		b.Run("one-pass/"+m.name, func(b *testing.B) {
			det, err := LoadDetector(testmedia.Model(b, m.file), 0)
			if err != nil {
				b.Fatal(err)
			}
			defer det.Close()
			run(b, det, func(out string) (*Plan, error) {
				return PlanOptions{}.Anonymize(context.Background(), av.Input{Path: in}, av.Output{Path: out}, det, nil, RenderOptions{}, nil)
			})
		})
	}
	b.Run("encode-only", func(b *testing.B) {
		// Decoding and encoding with nothing to cover: the floor.
		p, err := BuildPlan(context.Background(), av.Input{Path: in}, noFaces{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		run(b, nil, func(out string) (*Plan, error) {
			return p, Render(context.Background(), av.Input{Path: in}, av.Output{Path: out}, p, RenderOptions{}, nil)
		})
	})
}

// noFaces finds nothing.
type noFaces struct{}

func (noFaces) Detect(image.Image) ([]cv.Box, error) { return nil, nil }

// BenchmarkMosaic covers the luma of faces of several sizes (a crowded
// 1080p frame): the fast mosaic and the definition it equals.
func BenchmarkMosaic(b *testing.B) {
	img := noisyFrame(1920, 1080, 5)
	var rs []image.Rectangle
	for i, s := range []int{40, 60, 90, 120, 160, 200, 260, 320} {
		rs = append(rs, image.Rect(100+200*i, 200, 100+200*i+s, 200+s*5/4))
	}
	for _, bc := range []struct {
		name string
		f    func([]byte, int, image.Rectangle, int)
	}{{"fast", mosaic}, {"definition", mosaicByDefinition}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				for _, r := range rs {
					bc.f(img.Y, img.YStride, r, max(2, (max(r.Dx(), r.Dy())+MosaicBlocks-1)/MosaicBlocks))
				}
			}
		})
	}
}
