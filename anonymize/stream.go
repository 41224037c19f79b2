package anonymize

import (
	"context"
	"fmt"
	"path/filepath"

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
	r, err := av.OpenInput(in)
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
		sum, err = fileSHA256(gctx, in)
		return err
	})
	decoded := make(chan *av.Frame, 4)
	covered := make(chan *av.Frame, 4)
	g.Go(func() error { return decodeFrames(gctx, r, decoded) })
	g.Go(func() error {
		defer close(covered)
		var queue []*av.Frame
		var next int64 // index of queue[0]
		emit := func() error {
			f := queue[0]
			queue[0] = nil
			queue = queue[1:]
			boxes := b.redactionsAt(next, keepSet)
			if o.emitted != nil {
				o.emitted(next, boxes)
			}
			Redact(f.Image, boxes, mode)
			next++
			select {
			case covered <- f:
				return nil
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		for f := range decoded {
			if err := b.step(f.Image); err != nil {
				return fmt.Errorf("detect faces in frame %d: %w", b.frame-1, err)
			}
			queue = append(queue, f)
			for len(queue) > 0 && next <= b.frame-1-delay {
				if err := emit(); err != nil {
					return err
				}
			}
		}
		for len(queue) > 0 {
			if err := emit(); err != nil {
				return err
			}
		}
		return nil
	})
	g.Go(func() error { return encodeFrames(gctx, w, covered, info.Frames, onProgress) })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	plan = b.plan(filepath.Base(in.Path), sum)
	if err := plan.SetKeep(keep...); err != nil {
		return nil, err
	}
	return plan, nil
}
