package anonymize

import (
	"context"
	"fmt"
	"os"
	"runtime"

	"golang.org/x/sync/errgroup"

	"mileo.tech/extract/internal/av"
)

// RenderOptions tune [Render].
type RenderOptions struct {
	Mode Mode // "" means ModeMosaic
	// Preset and CRF of libx264; "" and 0 mean veryfast and 20.
	Preset string
	CRF    int
	// Threads of the encoder; 0 means one per core (libx264's own choice,
	// one and a half per core, keeps more frames in flight: 23 MB more at
	// 1080p, and no faster when the cores are busy anyway).
	Threads int
}

// Render writes at out the clip at in with the plan's redactions applied
// (R-ANON-1): H.264 MP4, no audio. The plan must have been made for this
// clip (same SHA-256 when the plan records one, same size and frame
// count). Decoding, covering and encoding run concurrently. onProgress
// (may be nil) receives frames written and the plan's frame count.
func Render(ctx context.Context, in av.Input, out av.Output, plan *Plan, opt RenderOptions, onProgress func(done, total int64)) (err error) {
	if err := plan.Validate(); err != nil {
		return err
	}
	mode, err := ParseMode(string(opt.Mode))
	if err != nil {
		return err
	}
	r, err := av.OpenInputWith(in, av.DecodeOptions{Threads: 1})
	if err != nil {
		return err
	}
	defer r.Close()
	info := r.Info()
	if info.Width != plan.Source.Width || info.Height != plan.Source.Height {
		return fmt.Errorf("%w: clip is %dx%d, plan %dx%d", ErrPlanMismatch, info.Width, info.Height, plan.Source.Width, plan.Source.Height)
	}
	w, err := createFor(out, info, opt)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			discard(out) // never leave a half-covered file behind
		}
	}()

	red := plan.Redactions()
	g, gctx := errgroup.WithContext(ctx)
	if plan.Source.SHA256 != "" {
		g.Go(func() error {
			_, sum, err := in.Hash(gctx)
			if err != nil {
				return err
			}
			if sum != plan.Source.SHA256 {
				return fmt.Errorf("%w: %s has SHA-256 %s, plan %s", ErrPlanMismatch, in.Path, sum, plan.Source.SHA256)
			}
			return nil
		})
	}
	decoded := make(chan *av.Frame, 4)
	covered := make(chan *av.Frame, 4)
	g.Go(func() error { return decodeFrames(gctx, r, decoded) })
	g.Go(func() error {
		defer close(covered)
		var n int64
		for f := range decoded {
			if n >= plan.Source.Frames {
				return fmt.Errorf("%w: clip has more than the plan's %d frames", ErrPlanMismatch, plan.Source.Frames)
			}
			Redact(f.Image, red[n], mode)
			n++
			select {
			case covered <- f:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		if n != plan.Source.Frames {
			return fmt.Errorf("%w: clip has %d frames, plan %d", ErrPlanMismatch, n, plan.Source.Frames)
		}
		return nil
	})
	g.Go(func() error { return encodeFrames(gctx, w, covered, r, plan.Source.Frames, onProgress) })
	return g.Wait()
}

// encodeFrames writes the frames of in until it is closed, handing each
// picture back to r once encoded (the encoder keeps its own copy).
func encodeFrames(ctx context.Context, w *av.Writer, in <-chan *av.Frame, r *av.Reader, total int64, onProgress func(done, total int64)) error {
	var n int64
	for f := range in {
		if err := w.Write(f); err != nil {
			return err
		}
		r.Recycle(f.Image)
		n++
		if onProgress != nil {
			onProgress(n, max(n, total))
		}
	}
	return ctx.Err()
}

// discard removes a half-written output file; a writer (a working copy)
// is the caller's to discard.
func discard(out av.Output) {
	if out.W == nil {
		os.Remove(out.Path)
	}
}

// encoderThreads returns the encoder's thread count for RenderOptions.Threads.
func encoderThreads(n int) int {
	if n > 0 {
		return n
	}
	return runtime.NumCPU()
}

// createFor opens the encoder for a clip like info.
func createFor(out av.Output, info av.Info, opt RenderOptions) (*av.Writer, error) {
	return av.CreateOutput(out, av.EncodeOptions{
		Width: info.Width, Height: info.Height, FrameRate: info.FrameRate,
		Preset: opt.Preset, CRF: opt.CRF, Threads: encoderThreads(opt.Threads),
		InlineLookahead: true, // detection uses the cores: the memory counts more
	})
}
