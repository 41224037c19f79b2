package av

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/asticode/go-astiav"
)

// frameInterval is the nominal duration of one frame of s, 0 if unknown:
// the average rate's, or the base rate's (r_frame_rate) when that is a bit
// shorter (missing frames lower the average; a base rate far above it is
// a timestamp resolution, not a frame rate).
func frameInterval(s *astiav.Stream) time.Duration {
	iv := func(fr astiav.Rational) time.Duration {
		if fr.Num() <= 0 || fr.Den() <= 0 {
			return 0
		}
		return time.Duration(float64(time.Second) * float64(fr.Den()) / float64(fr.Num()))
	}
	avg, base := iv(s.AvgFrameRate()), iv(s.RFrameRate())
	switch {
	case avg == 0:
		return base
	case base > 0 && base < avg && base*3 >= avg*2:
		return base
	}
	return avg
}

// MinHole is the shortest hole reported, whatever the frame rate: the
// timestamps of cameras jitter by a few tens of milliseconds.
const MinHole = 200 * time.Millisecond

// maxBoxes bounds the walk of a file's top-level boxes.
const maxBoxes = 1 << 20

// checkStructure walks the top-level boxes of an MP4 input once its
// packets are read: a box that claims more bytes than the file holds (a
// lying mdat size, a cut file) means the demuxer may have stopped early
// without an error, losing the rest of the segment silently (R-EXP-3). It
// returns an error naming the input and the byte range that could not be
// read. Inputs that are not MP4 are not checked.
func checkStructure(inp Input, lastByte int64) error {
	ra, size := inp.ReaderAt, inp.Size
	if ra == nil {
		f, err := os.Open(inp.Path)
		if err != nil {
			return nil // the demuxer read it; nothing more to say
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return nil
		}
		ra, size = f, st.Size()
	}
	err := WalkBoxes(ra, size)
	if err == nil {
		return nil
	}
	var be *BoxError
	if !errors.As(err, &be) {
		return nil
	}
	if be.Offset == 0 {
		return nil // not an MP4 at all (MPEG-TS, Matroska): the demuxer's business
	}
	from := lastByte
	if from <= 0 || from > be.Offset {
		from = be.Offset
	}
	return wrap("read", inp.Path, fmt.Errorf("%w: %v; bytes %d–%d of %d could not be read", ErrUnreadable, be, from, size, size))
}

// BoxError is a top-level MP4 box that does not fit in its file.
type BoxError struct {
	Offset int64  // where the box starts
	Type   string // its four-character code, printable
	Size   int64  // the size it claims (0 when unreadable)
	File   int64  // the file's size
	Reason string
}

func (e *BoxError) Error() string {
	return fmt.Sprintf("box %q at byte %d %s (file of %d bytes)", e.Type, e.Offset, e.Reason, e.File)
}

// WalkBoxes checks that the top-level boxes of the MP4 in ra (of size
// bytes) follow one another up to its end, reading only their headers.
func WalkBoxes(ra io.ReaderAt, size int64) error {
	var hdr [16]byte
	var off int64
	for n := 0; off < size; n++ {
		if n >= maxBoxes {
			return &BoxError{Offset: off, Type: "?", File: size, Reason: "follows too many boxes"}
		}
		if size-off < 8 {
			return &BoxError{Offset: off, Type: "?", File: size, Reason: "is cut inside its header"}
		}
		if _, err := ra.ReadAt(hdr[:8], off); err != nil {
			return fmt.Errorf("read box header at %d: %w", off, err)
		}
		typ := printable(hdr[4:8])
		if !isBoxType(hdr[4:8]) {
			return &BoxError{Offset: off, Type: typ, File: size, Reason: "has no valid type"}
		}
		bs := int64(binary.BigEndian.Uint32(hdr[0:4]))
		hl := int64(8)
		switch bs {
		case 0:
			return nil // extends to the end of the file
		case 1:
			if size-off < 16 {
				return &BoxError{Offset: off, Type: typ, File: size, Reason: "is cut inside its header"}
			}
			if _, err := ra.ReadAt(hdr[8:16], off+8); err != nil {
				return fmt.Errorf("read box header at %d: %w", off, err)
			}
			u := binary.BigEndian.Uint64(hdr[8:16])
			if u > uint64(1<<62) {
				return &BoxError{Offset: off, Type: typ, Size: -1, File: size, Reason: "claims an impossible size"}
			}
			bs, hl = int64(u), 16
		}
		if bs < hl {
			return &BoxError{Offset: off, Type: typ, Size: bs, File: size, Reason: fmt.Sprintf("claims %d bytes, less than its header", bs)}
		}
		if bs > size-off {
			return &BoxError{Offset: off, Type: typ, Size: bs, File: size, Reason: fmt.Sprintf("claims %d bytes, %d more than the file holds", bs, bs-(size-off))}
		}
		off += bs
	}
	return nil
}

func isBoxType(b []byte) bool {
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ') {
			return false
		}
	}
	return true
}

func printable(b []byte) string {
	out := make([]byte, len(b))
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			c = '?'
		}
		out[i] = c
	}
	return string(out)
}

// IsDiskFull reports whether err is a write that failed because the disk
// (or the file size limit, or the user's quota) is full: ENOSPC, EDQUOT or
// EFBIG, from Go or from FFmpeg (AVERROR(errno)).
func IsDiskFull(err error) bool {
	if err == nil {
		return false
	}
	for _, e := range []syscall.Errno{syscall.ENOSPC, syscall.EDQUOT, syscall.EFBIG} {
		if errors.Is(err, e) {
			return true
		}
	}
	var ae astiav.Error
	if errors.As(err, &ae) {
		switch int(ae) {
		case -int(syscall.ENOSPC), -int(syscall.EDQUOT), -int(syscall.EFBIG):
			return true
		}
	}
	return false
}
