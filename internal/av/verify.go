package av

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// Verify decodes every frame of the file at path (R-EXP-3) and returns its
// description with the exact frame count and the duration from the first
// frame to the end of the last one. A damaged file gives an error naming it.
func Verify(ctx context.Context, path string, onProgress func(done, total int64)) (Info, error) {
	r, err := Open(path)
	if err != nil {
		return Info{}, err
	}
	defer r.Close()
	return verify(ctx, r, onProgress)
}

// VerifyInput is Verify on an Input (a file, or bytes that are not one).
func VerifyInput(ctx context.Context, in Input, onProgress func(done, total int64)) (Info, error) {
	r, err := OpenInput(in)
	if err != nil {
		return Info{}, err
	}
	defer r.Close()
	return verify(ctx, r, onProgress)
}

func verify(ctx context.Context, r *Reader, onProgress func(done, total int64)) (Info, error) {
	r.countOnly = true
	info := r.Info()
	total := info.Frames
	var n int64
	var last time.Duration
	// The frame interval of the hole search, which a hole does not lengthen.
	frame := frameInterval(r.in.video)
	for {
		f, err := r.Read(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return info, err
		}
		// After decoding, the frames' timestamps must follow one another
		// at the frame rate (R-EXP-3): a jump is frames lost.
		if n > 0 && frame > 0 && f.PTS-last > HoleFrames*frame && f.PTS-last-frame >= MinHole {
			info.Holes = append(info.Holes, MediaHole{From: last + frame, To: f.PTS})
		}
		n++
		last = f.PTS
		if onProgress != nil && n%25 == 0 {
			onProgress(n, total)
		}
	}
	if n == 0 {
		return info, wrap("verify", r.in.path, ErrUnreadable)
	}
	if d := r.Damaged(); d > 0 {
		return info, wrap("verify", r.in.path, fmt.Errorf("%w: %d damaged packet(s) among %d frames", ErrUnreadable, d, n))
	}
	if info.FrameRate.Num > 0 && info.FrameRate.Den > 0 {
		frame = time.Duration(float64(time.Second) / info.FrameRate.Float())
	}
	info.Frames = n
	info.Duration = last + frame
	return info, nil
}
