package export

import (
	"context"
	"crypto/rand"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/internal/aeszip"
	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/vms"
	"mileo.tech/extract/vms/folder"
)

// The benchmarks compare each step with the ffmpeg (or 7z) CLI doing the
// same work in the same run; make bench prints the ratios. They read the
// full demo archive (make run creates it; MILEO_BENCH_DEMO overrides) and
// skip without it. Run with -benchtime 1x.

func benchArchive(b *testing.B) (*folder.Source, time.Time) {
	dir := os.Getenv("MILEO_BENCH_DEMO")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".local", "share", "mileo-extract", "demo-vms")
	}
	segs, _ := filepath.Glob(filepath.Join(dir, "entree", "*.mp4"))
	if len(segs) < 10 {
		b.Skipf("no full demo archive at %s (make run creates it)", dir)
	}
	src, err := folder.New(dir, folder.Options{})
	if err != nil {
		b.Fatal(err)
	}
	start, err := folder.ParseMediaMTXName(filepath.Base(segs[0]), time.Local)
	if err != nil {
		b.Fatal(err)
	}
	return src, start
}

func ffmpeg(b *testing.B, args ...string) {
	b.Helper()
	if out, err := exec.Command("ffmpeg", append([]string{"-v", "error", "-y"}, args...)...).CombinedOutput(); err != nil {
		b.Fatalf("ffmpeg %v: %v\n%s", args, err, out)
	}
}

func segments(b *testing.B, src *folder.Source, r vms.Range) []vms.Segment {
	segs, err := src.Segments(context.Background(), "entree", r)
	if err != nil {
		b.Fatal(err)
	}
	return segs
}

func concatList(b *testing.B, segs []vms.Segment) string {
	var sb strings.Builder
	for _, s := range segs {
		sb.WriteString("file '" + s.Path + "'\n")
	}
	p := filepath.Join(b.TempDir(), "list.txt")
	os.WriteFile(p, []byte(sb.String()), 0o644)
	return p
}

// BenchmarkRemux10min1080p: 10 minutes of the 1080p camera, stream copy.
func BenchmarkRemux10min1080p(b *testing.B) {
	src, start := benchArchive(b)
	r := vms.Range{Start: start, End: start.Add(10 * time.Minute)}
	segs := segments(b, src, r)
	b.Run("mileo", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			in := make([]av.Input, len(segs))
			for k, s := range segs {
				in[k] = av.Input{Path: s.Path, Start: s.Range.Start}
			}
			if _, err := av.Remux(context.Background(), in, av.Output{Path: filepath.Join(b.TempDir(), "o.mp4")}, av.RemuxOptions{From: r.Start, To: r.End}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ffmpeg", func(b *testing.B) {
		list := concatList(b, segs)
		for i := 0; i < b.N; i++ {
			ffmpeg(b, "-f", "concat", "-safe", "0", "-i", list, "-c", "copy", "-movflags", "+faststart", filepath.Join(b.TempDir(), "o.mp4"))
		}
	})
}

// oneMinute remuxes one minute of the 1080p camera for the decode and
// encode benchmarks.
func oneMinute(b *testing.B) (string, time.Time, vms.Range) {
	src, start := benchArchive(b)
	r := vms.Range{Start: start.Add(time.Minute), End: start.Add(2 * time.Minute)}
	segs := segments(b, src, r)
	in := make([]av.Input, len(segs))
	for k, s := range segs {
		in[k] = av.Input{Path: s.Path, Start: s.Range.Start}
	}
	p := filepath.Join(b.TempDir(), "minute.mp4")
	res, err := av.Remux(context.Background(), in, av.Output{Path: p}, av.RemuxOptions{From: r.Start, To: r.End})
	if err != nil {
		b.Fatal(err)
	}
	return p, res.Start, r
}

// BenchmarkVerify1min1080p: decode every frame (the readability check).
func BenchmarkVerify1min1080p(b *testing.B) {
	p, _, _ := oneMinute(b)
	b.Run("mileo", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := av.Verify(context.Background(), p, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ffmpeg", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ffmpeg(b, "-i", p, "-f", "null", "-")
		}
	})
}

// BenchmarkReencode1min1080p: libx264 veryfast, CRF 20, both sides.
func BenchmarkReencode1min1080p(b *testing.B) {
	p, zero, r := oneMinute(b)
	b.Run("mileo", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := reencode(context.Background(), av.Input{Path: p}, av.Output{Path: filepath.Join(b.TempDir(), "o.mp4")}, zero, r, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ffmpeg", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ffmpeg(b, "-i", p, "-an", "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-movflags", "+faststart", filepath.Join(b.TempDir(), "o.mp4"))
		}
	})
}

// BenchmarkZip2GB: SHA-256 + AES-256 ZIP of 2 GB, vs sha256sum + 7z.
func BenchmarkZip2GB(b *testing.B) {
	size := int64(2 << 30)
	if os.Getenv("MILEO_BENCH_SMALL") != "" {
		size = 256 << 20
	}
	big := filepath.Join(b.TempDir(), "video.mp4")
	f, err := os.Create(big)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.CopyN(f, rand.Reader, size); err != nil {
		b.Fatal(err)
	}
	f.Close()
	const pw = "Bench-Password-2026!x"
	b.Run("mileo", func(b *testing.B) {
		b.SetBytes(size)
		for i := 0; i < b.N; i++ {
			out, err := os.Create(filepath.Join(b.TempDir(), "a.zip"))
			if err != nil {
				b.Fatal(err)
			}
			zw := aeszip.NewWriter(out, pw)
			w, _ := zw.Create("video-01.mp4", time.Now(), false)
			in, _ := os.Open(big)
			if _, err := io.Copy(w, in); err != nil {
				b.Fatal(err)
			}
			in.Close()
			if err := zw.Close(); err != nil {
				b.Fatal(err)
			}
			out.Close()
		}
	})
	b.Run("7z", func(b *testing.B) {
		b.SetBytes(size)
		for i := 0; i < b.N; i++ {
			if out, err := exec.Command("sha256sum", big).CombinedOutput(); err != nil {
				b.Fatalf("sha256sum: %v %s", err, out)
			}
			if out, err := exec.Command("7z", "a", "-tzip", "-mem=AES256", "-mx=0", "-p"+pw, filepath.Join(b.TempDir(), "a.zip"), big).CombinedOutput(); err != nil {
				b.Fatalf("7z: %v %s", err, out)
			}
		}
	})
}
