package export

import (
	"context"
	"errors"
	"fmt"
	"time"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/vms"
)

// Clip writes the footage of camera over r to out exactly as an export
// builds it before re-encoding or anonymizing: the same inputs (the VMS's
// own segments, or its clips spooled encrypted in a working folder under
// workParent) and the same remux. A plan reviewed on such a clip therefore
// applies to the export's clip, which the anonymizer recognizes by its
// SHA-256. It returns the wall clock of the clip's first frame.
func Clip(ctx context.Context, src vms.Source, camera string, r vms.Range, workParent string, out av.Output) (time.Time, error) {
	spans, err := src.Recordings(ctx, camera, r)
	if err != nil {
		return time.Time{}, fmt.Errorf("camera %s: %w", camera, err)
	}
	if len(spans) == 0 {
		return time.Time{}, fmt.Errorf("camera %s: %w", camera, vms.ErrNoFootage)
	}
	var errs []string
	job := Job{Source: src, Range: r, WorkDir: workParent}
	inputs, cleanup, err := openInputs(ctx, job, camera, spans, &errs)
	defer cleanup()
	if err != nil {
		return time.Time{}, err
	}
	if len(inputs) == 0 {
		return time.Time{}, fmt.Errorf("camera %s: %w", camera, vms.ErrNoFootage)
	}
	rr, err := remuxClip(ctx, inputs, out, r, nil)
	if err != nil {
		if errors.Is(err, av.ErrNothingWritten) {
			return time.Time{}, fmt.Errorf("camera %s: %w", camera, vms.ErrNoFootage)
		}
		return time.Time{}, err
	}
	return rr.Start, nil
}

// remuxClip is the one remux of a camera's inputs over r, for exports and
// for review clips alike.
func remuxClip(ctx context.Context, inputs []av.Input, out av.Output, r vms.Range, onProgress func(done, total time.Duration)) (*av.RemuxResult, error) {
	return av.Remux(ctx, inputs, out, av.RemuxOptions{From: r.Start, To: r.End, OnProgress: onProgress})
}
