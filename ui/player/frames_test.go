package player

import (
	"context"
	"errors"
	"testing"
	"time"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/ui/player/playertest"
)

func TestClampBox(t *testing.T) {
	tests := []struct{ in, want [4]float64 }{
		{[4]float64{10, 10, 50, 50}, [4]float64{10, 10, 50, 50}},
		{[4]float64{-20, -5, 20, 30}, [4]float64{0, 0, 40, 35}},
		{[4]float64{90, 90, 130, 120}, [4]float64{60, 70, 100, 100}},
		{[4]float64{10, 10, 11, 11}, [4]float64{10, 10, 14, 14}},
	}
	for _, tc := range tests {
		if got := ClampBox(tc.in, 100, 100); got != tc.want {
			t.Errorf("ClampBox(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// writeNumbered writes a clip whose frames say their number.
func writeNumbered(t *testing.T, n, w, h int) string { return playertest.WriteNumbered(t, n, w, h) }

// numberOf reads a frame's number from its grey level.
func numberOf(s *Still) int64 { return playertest.NumberOf(s.Img) }

// The frame source gives exactly frame i, counted in decoding order as the
// plan counts them, forward, backward, from far and from near, and scaled
// down for the screen (R-ANON-3: the frame shown is the one whose boxes
// are drawn).
func TestFrameSourceExactFrames(t *testing.T) {
	const n = 40
	path := writeNumbered(t, n, 1280, 720)
	opens := 0
	fs := NewFrameSource(func() (*av.Reader, error) { opens++; return av.Open(path) }, false)
	defer fs.Close()
	ctx := context.Background()
	for _, i := range []int64{0, 1, 5, 4, 3, 30, 29, 18, 2, 39, 39, 0} {
		s, err := fs.Frame(ctx, i)
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if s.Index != i || numberOf(s) != i {
			t.Fatalf("asked frame %d, got index %d showing frame %d", i, s.Index, numberOf(s))
		}
		if s.W != 1280 || s.H != 720 || s.Img.Rect.Dx() != MaxStillWidth {
			t.Fatalf("frame %d: source %dx%d, picture %v", i, s.W, s.H, s.Img.Rect)
		}
	}
	if _, err := fs.Frame(ctx, n); !errors.Is(err, ErrNoFrame) {
		t.Fatalf("frame past the end: %v", err)
	}
	if _, err := fs.Frame(ctx, n+5); !errors.Is(err, ErrNoFrame) {
		t.Fatalf("frame past the known end: %v", err)
	}
	// Stepping back within the pictures kept decodes nothing.
	before := opens
	if _, err := fs.Frame(ctx, 30); err != nil {
		t.Fatal(err)
	}
	for i := int64(29); i > 30-StillCache; i-- {
		if s, err := fs.Frame(ctx, i); err != nil || numberOf(s) != i {
			t.Fatalf("back to %d: %v", i, err)
		}
	}
	if opens != before+1 {
		t.Errorf("%d opens to step back through kept frames, want 1", opens-before)
	}
}

// Going back in a long clip decodes from the key frame before the frame
// asked, found by a seek, not from the clip's start; the frame is still
// exactly the one asked (R-ANON-3; issue #20: J plays backwards).
func TestFrameSourceSeeksBack(t *testing.T) {
	const n = 62 // a key frame at 0 and at 50 (2 s at 25 fps); numbered up to 63
	path := writeNumbered(t, n, 320, 240)
	fs := NewFrameSource(func() (*av.Reader, error) { return av.Open(path) }, false)
	defer fs.Close()
	fs.SetKeep(1)
	ctx := context.Background()
	prev := int64(-1)
	for _, i := range []int64{61, 58, 55, 30, 60, 3, 52, 51} {
		before := fs.decoded
		s, err := fs.Frame(ctx, i)
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if s.Index != i || numberOf(s) != i {
			t.Fatalf("asked frame %d, got index %d showing frame %d", i, s.Index, numberOf(s))
		}
		// Back to a frame after the key frame 50: from 50, not from 0.
		if cost := fs.decoded - before; i < prev && i >= 50 && cost > i-50+2 {
			t.Errorf("back from %d to %d cost %d decoded frames: no seek", prev, i, cost)
		}
		prev = i
	}
}

// FrameAt finds a frame by its time in the clip, exactly, from near and
// far, and the last frame past the end.
func TestFrameSourceAt(t *testing.T) {
	path := writeNumbered(t, 40, 320, 240)
	fs := NewFrameSource(func() (*av.Reader, error) { return av.Open(path) }, false)
	defer fs.Close()
	ctx := context.Background()
	for _, tc := range []struct {
		at   time.Duration
		want int64
	}{{0, 0}, {400 * time.Millisecond, 10}, {401 * time.Millisecond, 11}, {200 * time.Millisecond, 5}, {time.Hour, 39}, {1200 * time.Millisecond, 30}} {
		s, err := fs.FrameAt(ctx, tc.at)
		if err != nil {
			t.Fatalf("at %s: %v", tc.at, err)
		}
		if s.Index != tc.want || numberOf(s) != tc.want || s.PTS != time.Duration(tc.want)*40*time.Millisecond {
			t.Errorf("at %s: frame %d showing %d at %s, want %d", tc.at, s.Index, numberOf(s), s.PTS, tc.want)
		}
	}
}
