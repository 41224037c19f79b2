package av

import (
	"errors"
	"fmt"
	"io"

	"github.com/asticode/go-astiav"
)

// Output is where [CreateOutput] and [Remux] write an MP4: the file at
// Path, or W when it is not nil (Path then only names it in errors).
//
// A file gets its index at the front (+faststart). FFmpeg's faststart pass
// reopens the output by name, so an MP4 written to W keeps its index at
// the end, which every player reads from a seekable file; the muxer then
// seeks back only once, into the first bytes, to patch the size of the
// media box (workdir.SeekWriter keeps those in memory, so that a working
// copy is never on disk in clear).
type Output struct {
	Path string
	W    io.WriteSeeker
	// Fragmented writes a fragmented MP4 (never seeks back).
	Fragmented bool
}

func (o Output) String() string { return o.Path }

// sink is an opened Output.
type sink struct {
	out    Output
	ioc    *astiav.IOContext
	custom bool
	err    error // first error of W, which FFmpeg only sees as a code
}

// open sets fc's output and returns the muxer options for WriteHeader.
func (s *sink) open(fc *astiav.FormatContext) (*astiav.Dictionary, error) {
	var err error
	if s.out.W == nil {
		if s.ioc, err = astiav.OpenIOContext(s.out.Path, astiav.NewIOContextFlags(astiav.IOContextFlagWrite)); err != nil {
			return nil, err
		}
	} else {
		s.custom = true
		w := s.out.W
		s.ioc, err = astiav.AllocIOContext(1<<20, true, nil, func(offset int64, whence int) (int64, error) {
			if whence&avseekSize != 0 {
				return sizeOf(w)
			}
			n, err := w.Seek(offset, whence&^avseekForce)
			if err != nil {
				s.fail(err)
				return 0, astiav.ErrEio
			}
			return n, nil
		}, func(b []byte) (int, error) {
			n, err := w.Write(b)
			if err == nil && n < len(b) {
				err = io.ErrShortWrite
			}
			if err != nil {
				s.fail(err)
				return n, astiav.ErrEio
			}
			return n, nil
		})
		if err != nil {
			return nil, err
		}
	}
	fc.SetPb(s.ioc)
	d := astiav.NewDictionary()
	switch {
	case s.out.Fragmented:
		_ = d.Set("movflags", "+frag_keyframe+empty_moov+default_base_moof", 0)
	case !s.custom:
		_ = d.Set("movflags", "+faststart", 0)
	}
	return d, nil
}

func (s *sink) fail(err error) {
	if s.err == nil {
		s.err = err
	}
}

// wrap prefers the writer's own error to FFmpeg's code for it.
func (s *sink) wrap(err error) error {
	if err != nil && s.err != nil {
		return fmt.Errorf("%w (%v)", s.err, err)
	}
	return err
}

// close flushes and releases the output; FFmpeg has written its trailer.
func (s *sink) close() error {
	if s.ioc == nil {
		return nil
	}
	var err error
	if s.custom {
		s.ioc.Flush()
		s.ioc.Free()
	} else {
		err = s.ioc.Close()
	}
	s.ioc = nil
	return errors.Join(err, s.err)
}

// sizeOf returns the size of w without moving its position.
func sizeOf(w io.Seeker) (int64, error) {
	cur, err := w.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, astiav.ErrEio
	}
	end, err := w.Seek(0, io.SeekEnd)
	if err != nil {
		return 0, astiav.ErrEio
	}
	if _, err := w.Seek(cur, io.SeekStart); err != nil {
		return 0, astiav.ErrEio
	}
	return end, nil
}
