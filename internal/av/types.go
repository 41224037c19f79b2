package av

import (
	"errors"
	"fmt"
	"image"
	"math"
	"time"

	"github.com/asticode/go-astiav"
)

// Rational is a fraction such as a frame rate (25/1) or a time base.
type Rational struct{ Num, Den int }

// Float returns Num/Den, or 0 when Den is 0.
func (r Rational) Float() float64 {
	if r.Den == 0 {
		return 0
	}
	return float64(r.Num) / float64(r.Den)
}

func fromAV(r astiav.Rational) Rational { return Rational{r.Num(), r.Den()} }
func (r Rational) av() astiav.Rational  { return astiav.NewRational(r.Num, r.Den) }

// Info describes the video stream of a file.
type Info struct {
	Format    string        `json:"format"` // container, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
	Codec     string        `json:"codec"`  // "h264", "hevc", ...
	Width     int           `json:"width"`
	Height    int           `json:"height"`
	FrameRate Rational      `json:"frame_rate"`
	Duration  time.Duration `json:"duration"`
	// Frames is exact after Verify, an estimate from the container otherwise.
	Frames   int64 `json:"frames"`
	HasAudio bool  `json:"has_audio"`
	// Holes, after Verify, are the jumps of the decoded frames' timestamps
	// by more than HoleFrames frame intervals: frames that are missing.
	Holes []MediaHole `json:"holes,omitempty"`
}

// MediaHole is a stretch of a stream without frames, in media time (the
// PTS of Frame): From is the end of the frame before, To the start of the
// frame after.
type MediaHole struct {
	From, To time.Duration
}

// Frame is one decoded picture.
type Frame struct {
	Index int64
	// PTS is the presentation time from the start of the stream.
	PTS time.Duration
	// Image is a 4:2:0 picture owned by the caller (who may hand it back
	// with [Reader.Recycle] once done with it).
	Image *image.YCbCr
}

// Error is a media error that names the file it is about.
type Error struct {
	Path string
	Op   string
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("%s %q: %v", e.Op, e.Path, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

// ErrNoVideo is returned for a file without a video stream.
var ErrNoVideo = errors.New("no video stream")

// ErrUnreadable wraps FFmpeg's complaint about damaged data.
var ErrUnreadable = errors.New("damaged or unreadable media")

func wrap(op, path string, err error) error {
	if err == nil {
		return nil
	}
	var ae astiav.Error
	if errors.As(err, &ae) {
		switch {
		case errors.Is(err, astiav.ErrInvaliddata), errors.Is(err, astiav.ErrEof):
			err = fmt.Errorf("%w (%v)", ErrUnreadable, err)
		}
	}
	return &Error{Path: path, Op: op, Err: err}
}

func dur(ts int64, tb astiav.Rational) time.Duration {
	if tb.Den() == 0 {
		return 0
	}
	return time.Duration(float64(ts) * float64(tb.Num()) / float64(tb.Den()) * float64(time.Second))
}

func ts(d time.Duration, tb astiav.Rational) int64 {
	if tb.Num() == 0 {
		return 0
	}
	return int64(math.Round(d.Seconds() * float64(tb.Den()) / float64(tb.Num())))
}
