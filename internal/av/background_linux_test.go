package av_test

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/internal/av"
)

// niceThreads counts the threads of this process by nice value.
func niceThreads(t *testing.T) map[int]int {
	t.Helper()
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	n := map[int]int{}
	for _, task := range tasks {
		b, err := os.ReadFile(filepath.Join("/proc/self/task", task.Name(), "stat"))
		if err != nil {
			continue // the thread ended meanwhile
		}
		// Fields after the command name (which may hold spaces): the
		// state is field 3 of proc(5), the nice value field 19.
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		v, err := strconv.Atoi(f[19-3])
		if err != nil {
			t.Fatalf("stat of thread %s: %v", task.Name(), err)
		}
		n[v]++
	}
	return n
}

// A background encoder's threads (two frame threads and the lookahead's)
// run at nice +10, the rest of the process at its own priority; they end
// with the writer, and the clip is intact.
func TestBackgroundEncoder(t *testing.T) {
	before := niceThreads(t)
	if before[10] != 0 {
		t.Fatalf("threads at nice 10 before the encoder: %v", before)
	}
	p := filepath.Join(t.TempDir(), "bg.mp4")
	w, err := av.Create(p, av.EncodeOptions{Width: 320, Height: 240, Preset: "ultrafast", Threads: 2, LookaheadFrames: 1, Background: true})
	if err != nil {
		t.Fatal(err)
	}
	during := niceThreads(t)
	img := image.NewYCbCr(image.Rect(0, 0, 320, 240), image.YCbCrSubsampleRatio420)
	for i := range 30 {
		img.Y[i*img.YStride+i] = 255
		if err := w.Write(&av.Frame{Index: int64(i), PTS: time.Duration(i) * 40 * time.Millisecond, Image: img}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if during[10] < 3 || during[0] == 0 {
		t.Errorf("threads by nice value with the encoder open: %v, want at least 3 at 10 and the others at 0", during)
	}
	// The thread that opened the encoder ends with its goroutine, which
	// may take the Go runtime a moment.
	after := niceThreads(t)
	for i := 0; i < 100 && after[10] != 0; i++ {
		time.Sleep(10 * time.Millisecond)
		after = niceThreads(t)
	}
	if after[10] != 0 {
		t.Errorf("threads at nice 10 after Close: %v", after)
	}
	inf, err := av.Verify(context.Background(), p, nil)
	if err != nil || inf.Frames != 30 {
		t.Errorf("Verify: %+v %v", inf, err)
	}
}
