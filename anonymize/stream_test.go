package anonymize

import (
	"context"
	"image"
	"path/filepath"
	"reflect"
	"testing"

	"mileo.tech/extract/anonymize/anonymizetest"
	"mileo.tech/extract/internal/av"
)

func TestLookBackRing(t *testing.T) {
	q := newLookBack(3)
	frame := func(i int64) *av.Frame {
		return &av.Frame{Index: i, Image: image.NewYCbCr(image.Rect(0, 0, 4, 2), image.YCbCrSubsampleRatio420)}
	}
	var next int64
	for i := int64(0); i < 10; i++ {
		q.push(frame(i))
		if q.bytes != int64(q.len())*12 {
			t.Fatalf("%d frames counted as %d bytes", q.len(), q.bytes)
		}
		if q.len() == 3 {
			if f := q.pop(); f.Index != next {
				t.Fatalf("popped frame %d, want %d", f.Index, next)
			}
			next++
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("push on a full queue did not panic")
		}
	}()
	q.push(frame(10))
	q.push(frame(11))
}

// The frames the one-pass anonymizer holds back are bounded by
// construction, whatever the length of the clip: the queue holds
// finalDelay()+1 frames, which fit in LookBackBytes unless the minimum
// needed for final boxes does not.
func TestLookBackBudget(t *testing.T) {
	det := loadDetector(t)
	for _, sz := range []image.Point{{480, 270}, {1280, 720}, {1920, 1080}, {3840, 2160}} {
		for _, budget := range []int64{0, 16 << 20, 256 << 20} {
			o := PlanOptions{LookBackBytes: budget}
			b := newBuilder(o, av.Info{Width: sz.X, Height: sz.Y, FrameRate: av.Rational{Num: 25, Den: 1}}, det)
			if budget == 0 {
				budget = DefaultLookBackBytes
			}
			fb := int64(frameBytes(sz.X, sz.Y))
			frames := b.finalDelay() + 1
			least := int64(max(b.opt.Tracker.MaxMiss+3, b.key+b.opt.Tracker.Pad+3))
			if frames*fb > max(budget, least*fb) {
				t.Errorf("%v, budget %d MiB: %d frames held (%d MiB)", sz, budget>>20, frames, frames*fb>>20)
			}
			if budget >= (2*int64(b.key)+4+int64(b.opt.Tracker.Pad)+2)*fb && len(b.ring) != 2*b.key+4 {
				t.Errorf("%v, budget %d MiB: backward search over %d frames, want %d", sz, budget>>20, len(b.ring), 2*b.key+4)
			}
		}
	}
	// 1080p keeps the reach it had (14 frames) within the default budget.
	b := newBuilder(PlanOptions{}, av.Info{Width: 1920, Height: 1080, FrameRate: av.Rational{Num: 25, Den: 1}}, det)
	if len(b.ring) != 14 || (b.finalDelay()+1)*int64(frameBytes(1920, 1080)) > DefaultLookBackBytes {
		t.Errorf("1080p: ring %d, %d frames held", len(b.ring), b.finalDelay()+1)
	}
}

// The queue never holds more than its byte budget and the frames between
// the decoder and the encoder never exceed the queue plus the channels,
// counted on a real pass with a budget small enough to shorten the
// backward search; the result still equals BuildPlan's.
func TestLookBackNeverExceeds(t *testing.T) {
	in := anonymizetest.Clip(t, "face-demographics-walking-and-pause.gif")
	det := loadDetector(t)
	info, err := av.ProbeInput(av.Input{Path: in})
	if err != nil {
		t.Fatal(err)
	}
	budget := 17 * int64(frameBytes(info.Width, info.Height))
	base := PlanOptions{KeyInterval: 5, FullInterval: 50, LookBackBytes: budget}
	want, err := base.Build(context.Background(), av.Input{Path: in}, det, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := newBuilder(base, info, det)
	if len(b.ring) >= 2*b.key+4 {
		t.Fatalf("budget of 17 frames keeps the whole backward search (%d frames)", len(b.ring))
	}
	capacity := b.finalDelay() + 1
	var maxFrames int
	var maxBytes, maxInFlight int64
	opt := base
	opt.queued = func(frames int, bytes, inFlight int64) {
		maxFrames, maxBytes, maxInFlight = max(maxFrames, frames), max(maxBytes, bytes), max(maxInFlight, inFlight)
	}
	got, err := opt.Anonymize(context.Background(), av.Input{Path: in}, av.Output{Path: filepath.Join(t.TempDir(), "out.mp4")}, det, nil, RenderOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d frames: queue at most %d frames, %d bytes (budget %d); %d frames in flight", got.Source.Frames, maxFrames, maxBytes, budget, maxInFlight)
	if maxBytes > budget || int64(maxFrames) > capacity || maxFrames == 0 {
		t.Errorf("queue held %d frames, %d bytes; budget %d bytes, capacity %d", maxFrames, maxBytes, budget, capacity)
	}
	if limit := capacity + int64(pipeDepth+encodeDepth(info.Width, info.Height)) + 2; maxInFlight > limit {
		t.Errorf("%d frames between decoder and encoder, want at most %d", maxInFlight, limit)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("one-pass plan with a small budget differs from BuildPlan's")
	}
}
