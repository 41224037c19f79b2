package mp4check

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// box returns one MP4 box of typ with n bytes of payload.
func box(typ string, n int) []byte {
	b := make([]byte, 8+n)
	binary.BigEndian.PutUint32(b, uint32(8+n))
	copy(b[4:], typ)
	return b
}

func box64(typ string, n int) []byte {
	b := make([]byte, 16+n)
	binary.BigEndian.PutUint32(b, 1)
	copy(b[4:], typ)
	binary.BigEndian.PutUint64(b[8:], uint64(16+n))
	return b
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestReader(t *testing.T) {
	// MediaMTX's /get answers a progressive MP4; Frigate's clip.mp4 is
	// fragmented: ftyp, moov, then moof+mdat pairs.
	mp4 := cat(box("ftyp", 16), box("moov", 100), box("mdat", 1000))
	fmp4 := cat(box("ftyp", 16), box("moov", 50), box("moof", 30), box("mdat", 200), box("moof", 30), box("mdat", 200))
	frigate := cat(box("ftyp", 16), box("moov", 50), box("moof", 30), box("mdat", 200))
	toEnd := cat(box("ftyp", 8), box("moov", 10), []byte{0, 0, 0, 0, 'm', 'd', 'a', 't', 1, 2, 3})
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"mp4", mp4, nil},
		{"fragmented", fmp4, nil},
		{"one fragment", frigate, nil},
		{"64-bit size", cat(box("ftyp", 8), box("moov", 8), box64("mdat", 70)), nil},
		{"size 0 runs to the end", toEnd, nil},
		{"cut in mdat", mp4[:len(mp4)-1], ErrTruncated},
		{"cut in a header", mp4[:len(mp4)-1000-5], ErrTruncated},
		{"cut after moov", mp4[:len(mp4)-1008], ErrTruncated},
		{"cut in a fragment", fmp4[:len(fmp4)-150], ErrTruncated},
		{"cut in the last mdat", frigate[:len(frigate)-10], ErrTruncated},
		{"empty", nil, ErrTruncated},
		{"html", []byte("<html>login</html>"), ErrMalformed},
		{"json", []byte(`{"status":"error"}`), ErrMalformed},
		{"json error", []byte(`{"success":false}`), ErrMalformed},
		{"box smaller than its header", cat(box("ftyp", 8), []byte{0, 0, 0, 4, 'm', 'o', 'o', 'v'}), ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, r := range []io.Reader{bytes.NewReader(tt.in), iotest.OneByteReader(bytes.NewReader(tt.in))} {
				chk := NewReader(r)
				n, err := io.Copy(io.Discard, chk)
				if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
					t.Errorf("err = %v, want %v", err, tt.want)
				}
				if chk.Total() != n {
					t.Errorf("Total() = %d, copied %d", chk.Total(), n)
				}
			}
		})
	}
}

// TestReaderPassesErrors: an error of the underlying reader is not a
// verdict of the check and comes back unchanged.
func TestReaderPassesErrors(t *testing.T) {
	cut := errors.New("connection reset")
	in := cat(box("ftyp", 16), box("moov", 100))
	_, err := io.Copy(io.Discard, NewReader(io.MultiReader(bytes.NewReader(in), iotest.ErrReader(cut))))
	if err != cut {
		t.Errorf("err = %v, want the reader's own error", err)
	}
}

func FuzzReader(f *testing.F) {
	f.Add(cat(box("ftyp", 16), box("moov", 100), box("mdat", 100)))
	f.Add(cat(box("ftyp", 8), box64("mdat", 8)))
	f.Add(cat(box("ftyp", 16), box("moov", 50), box("moof", 30), box("mdat", 200)))
	f.Add([]byte("<html>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := io.Copy(io.Discard, NewReader(bytes.NewReader(data)))
		if err != nil && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrMalformed) {
			t.Fatalf("unexpected error %v", err)
		}
	})
}
