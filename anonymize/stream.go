package anonymize

import (
	"context"
	"fmt"
	"image"
	"path/filepath"
	"runtime"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/internal/cv"
)

// finalDelay is the number of frames the builder must have seen past a
// frame before that frame's boxes can no longer change: the backward
// search reaches len(ring) frames back and pads Pad more, and a track
// re-found within MaxMiss frames fills the gap.
func (b *builder) finalDelay() int64 {
	return int64(max(len(b.ring)+b.opt.Tracker.Pad+1, b.opt.Tracker.MaxMiss+2))
}

// redactionsAt returns the boxes to cover at frame f, as Plan.Redactions
// gives them for a plan without manual regions.
func (b *builder) redactionsAt(f int64, keep map[int]bool) []cv.Box {
	var out []cv.Box
	for _, tb := range b.tr.BoxesAt(f) {
		if !keep[tb.ID] {
			out = append(out, tb.Box.CV().Grow(b.opt.Margin))
		}
	}
	sortBoxes(out)
	return out
}

// Anonymize detects, tracks, covers and encodes in one decoding pass:
// frames wait in a queue until their boxes are final (finalDelay frames),
// then go to the encoder while later frames are being searched. The
// output equals Render(in, out, plan) of the returned plan with the kept
// tracks marked. An unknown kept id is an error after the pass (ids exist
// only once the clip is tracked) and the output is removed.
func (o PlanOptions) Anonymize(ctx context.Context, in av.Input, out av.Output, det Detector, keep []int, ropt RenderOptions, onProgress func(done, total int64)) (plan *Plan, err error) {
	mode, err := ParseMode(string(ropt.Mode))
	if err != nil {
		return nil, err
	}
	r, err := av.OpenInputWith(in, av.DecodeOptions{Threads: 1})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	info := r.Info()
	b := newBuilder(o, info, det)
	w, err := createFor(out, info, ropt)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			plan = nil
			discard(out)
		}
	}()
	keepSet := map[int]bool{}
	for _, id := range keep {
		keepSet[id] = true
	}
	delay := b.finalDelay()

	g, gctx := errgroup.WithContext(ctx)
	var sum string
	g.Go(func() (err error) {
		_, sum, err = in.Hash(gctx)
		return err
	})
	// Detection and encoding share the cores: OpenCV gets half of them
	// unless the caller chose (on small inputs, the regions around
	// tracked faces, its threads cost more CPU than they save, and the
	// encoder has work for the other cores).
	if ropt.Threads <= 0 {
		defer cv.SetNumThreads(cv.NumThreads())
		cv.SetNumThreads(max(1, runtime.NumCPU()/2))
	}
	// Frames between the decoder and the encoder: pipeDepth decoded, the
	// queue, encodeDepth covered, and one in each stage.
	var inFlight atomic.Int64
	decoded := make(chan *av.Frame, pipeDepth)
	covered := make(chan toCover, encodeDepth(info.Width, info.Height))
	g.Go(func() error { return decodeFrames(gctx, r, decoded) })
	g.Go(func() error {
		defer close(covered)
		q := newLookBack(int(delay) + 1)
		var next int64 // index of the oldest frame of q
		emit := func() error {
			f := q.pop()
			boxes := b.redactionsAt(next, keepSet)
			if o.emitted != nil {
				o.emitted(next, boxes)
			}
			next++
			select {
			case covered <- toCover{f, boxes}:
				return nil
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		for f := range decoded {
			inFlight.Add(1)
			if err := b.step(f.Image); err != nil {
				return fmt.Errorf("detect faces in frame %d: %w", b.frame-1, err)
			}
			q.push(f)
			if o.queued != nil {
				o.queued(q.len(), q.bytes, inFlight.Load())
			}
			for q.len() > 0 && next <= b.frame-1-delay {
				if err := emit(); err != nil {
					return err
				}
			}
		}
		for q.len() > 0 {
			if err := emit(); err != nil {
				return err
			}
		}
		return nil
	})
	g.Go(func() error {
		return encodeFrames(gctx, w, covered, mode, r, info.Frames, func(done, total int64) {
			inFlight.Add(-1)
			if onProgress != nil {
				onProgress(done, total)
			}
		})
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	plan = b.plan(filepath.Base(in.Path), sum)
	if err := plan.SetKeep(keep...); err != nil {
		return nil, err
	}
	return plan, nil
}

// pipeDepth is the capacity of the channel between the decoder and the
// detector of the one-pass anonymizer: decoding is steady, two absorb its
// jitter (each frame is 3 MB at 1080p).
const pipeDepth = 2

// encodeQueueBytes bounds the covered frames waiting for the encoder. A
// whole-picture search holds the detector for a few frames' time (about
// 0.2 s at 1080p on one thread); the encoder keeps working meanwhile on
// what is queued here and in its lookahead (encoderLookahead), instead of
// waiting with its cores idle.
const encodeQueueBytes = 16 << 20

// encodeDepth is the capacity of the channel between covering and
// encoding for w×h frames: encodeQueueBytes of frames, 2 to 16 of them.
func encodeDepth(w, h int) int {
	return min(16, max(pipeDepth, encodeQueueBytes/max(1, frameBytes(w, h))))
}

// lookBack is the queue of the frames whose boxes may still change, oldest
// first: a ring of fixed capacity, so that the frames it holds are bounded
// by construction, counting the bytes it holds.
type lookBack struct {
	frames []*av.Frame
	head   int // index of the oldest frame
	n      int
	bytes  int64
}

func newLookBack(capacity int) *lookBack { return &lookBack{frames: make([]*av.Frame, capacity)} }

func (q *lookBack) len() int { return q.n }

// push adds the newest frame; the queue must not be full.
func (q *lookBack) push(f *av.Frame) {
	if q.n == len(q.frames) {
		panic("anonymize: look-back queue overflow")
	}
	q.frames[(q.head+q.n)%len(q.frames)] = f
	q.n++
	q.bytes += imageBytes(f.Image)
}

// pop removes and returns the oldest frame; the queue must not be empty.
func (q *lookBack) pop() *av.Frame {
	f := q.frames[q.head]
	q.frames[q.head] = nil
	q.head = (q.head + 1) % len(q.frames)
	q.n--
	q.bytes -= imageBytes(f.Image)
	return f
}

func imageBytes(img *image.YCbCr) int64 { return int64(len(img.Y) + len(img.Cb) + len(img.Cr)) }
