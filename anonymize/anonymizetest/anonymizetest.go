package anonymizetest

import (
	"context"
	"errors"
	"image"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/internal/demo"
	"mileo.tech/extract/internal/testmedia"
)

// Clip returns the path of the test clip name in ../shared/media/video, or
// skips.
func Clip(t testing.TB, name string) string {
	t.Helper()
	return filepath.Join(testmedia.Dir(t, "video"), name)
}

// DemoClip writes the 1080p25 camera of the demo archive ("entree", the
// one-by-one-person clip scaled up) for d and returns the MP4.
func DemoClip(t testing.TB, d time.Duration) string {
	t.Helper()
	dir := t.TempDir()
	cam := demo.Cameras(false)[0]
	if cam.Width != 1920 {
		t.Skipf("demo camera %s is %dx%d, not 1080p", cam.ID, cam.Width, cam.Height)
	}
	_, err := demo.Generate(context.Background(), dir, demo.Options{
		Duration: d, Segment: time.Hour, Cameras: []demo.Camera{cam}, MediaDir: testmedia.Dir(t, "video"),
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := filepath.Glob(filepath.Join(dir, cam.ID, "*.mp4"))
	if err != nil || len(m) != 1 {
		t.Fatalf("demo clip: %v %v", m, err)
	}
	return m[0]
}

// DecodeAll returns every picture of the clip at path.
func DecodeAll(t testing.TB, path string) []*image.YCbCr {
	t.Helper()
	r, err := av.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []*image.YCbCr
	for {
		f, err := r.Read(context.Background())
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f.Image)
	}
}

// PeakReset forgets the process's peak resident size (Linux: clear_refs 5)
// after giving the Go heap back, so that PeakMB measures what follows. It
// reports whether it could (PeakMB means nothing otherwise).
func PeakReset() bool {
	runtime.GC()
	debug.FreeOSMemory()
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// PeakMB returns the peak resident size of the process (VmHWM), in MB.
func PeakMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}
