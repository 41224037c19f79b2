package mp4check

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Errors of a checked stream, wrapped with %w.
var (
	// ErrTruncated is a stream that ended before its MP4 structure did.
	ErrTruncated = errors.New("MP4 stream truncated")
	// ErrMalformed is a stream that is not made of MP4 boxes.
	ErrMalformed = errors.New("not an MP4 stream")
)

// Reader passes a stream through and checks its top-level box structure:
// a Read that reaches EOF returns [ErrTruncated] instead when the stream
// ended early, and a Read that meets a byte that cannot be MP4 returns
// [ErrMalformed].
type Reader struct {
	r       io.Reader
	hdr     [16]byte
	nhdr    int    // bytes of the current box header seen so far
	need    int    // header length needed (8, or 16 for a 64-bit size)
	left    uint64 // payload bytes left in the current box
	inBox   bool   // inside a box's payload
	toEnd   bool   // last box extends to the end of the stream (size 0)
	sawMoov bool
	sawMdat bool
	boxes   int // top-level boxes seen
	total   int64
}

// NewReader returns a Reader checking r.
func NewReader(r io.Reader) *Reader { return &Reader{r: r, need: 8} }

// maxBoxSize bounds one box: 1 TiB is far beyond any clip.
const maxBoxSize = 1 << 40

// Total returns the number of bytes read so far.
func (b *Reader) Total() int64 { return b.total }

// Read reads from the underlying reader and checks what it got.
func (b *Reader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if ferr := b.feed(p[:n]); ferr != nil {
		return n, ferr
	}
	if err == io.EOF {
		if ferr := b.finish(); ferr != nil {
			return n, ferr
		}
	}
	return n, err
}

func (b *Reader) feed(p []byte) error {
	b.total += int64(len(p))
	for len(p) > 0 {
		if b.toEnd {
			return nil
		}
		if b.inBox {
			k := uint64(len(p))
			if k > b.left {
				k = b.left
			}
			b.left -= k
			p = p[k:]
			if b.left == 0 {
				b.inBox, b.nhdr, b.need = false, 0, 8
			}
			continue
		}
		k := copy(b.hdr[b.nhdr:b.need], p)
		b.nhdr += k
		p = p[k:]
		if b.nhdr < b.need {
			continue
		}
		size := uint64(binary.BigEndian.Uint32(b.hdr[0:4]))
		typ := string(b.hdr[4:8])
		hlen := uint64(8)
		switch size {
		case 1:
			if b.need == 8 {
				b.need = 16
				continue
			}
			size = binary.BigEndian.Uint64(b.hdr[8:16])
			hlen = 16
		case 0:
			b.toEnd = true
		}
		if !boxType(typ) || b.boxes == 0 && typ != "ftyp" && typ != "styp" && typ != "moov" {
			return fmt.Errorf("%w (box %q)", ErrMalformed, typ)
		}
		b.boxes++
		switch typ {
		case "moov", "moof":
			b.sawMoov = true
		case "mdat":
			b.sawMdat = true
		}
		if b.toEnd {
			return nil
		}
		if size < hlen || size > maxBoxSize {
			return fmt.Errorf("%w: box %q has size %d", ErrMalformed, typ, size)
		}
		b.left = size - hlen
		b.inBox = b.left > 0
		if !b.inBox {
			b.nhdr, b.need = 0, 8
		}
	}
	return nil
}

func (b *Reader) finish() error {
	switch {
	case b.total == 0:
		return fmt.Errorf("%w: empty stream", ErrTruncated)
	case !b.toEnd && (b.inBox || b.nhdr > 0):
		return fmt.Errorf("%w: ends inside a box after %d bytes", ErrTruncated, b.total)
	case !b.sawMoov || !b.sawMdat:
		return fmt.Errorf("%w: %d bytes without a movie header or without media data", ErrTruncated, b.total)
	}
	return nil
}

// boxType accepts the four-character codes of top-level boxes: letters,
// digits and spaces.
func boxType(typ string) bool {
	for _, c := range []byte(typ) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ') {
			return false
		}
	}
	return true
}
