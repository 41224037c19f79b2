package av

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// R-EXP-3 (bounded sources): FFmpeg opens recordings with a format and
// protocol whitelist: a playlist or script that would make it read other
// files or addresses is refused, on disk and as clip bytes.
func TestFormatWhitelist(t *testing.T) {
	dir := t.TempDir()
	// A real video the scripts point at: without the whitelist, FFmpeg
	// would open it through them.
	real := filepath.Join(dir, "real.mp4")
	w, err := CreateOutput(Output{Path: real}, EncodeOptions{Width: 64, Height: 64, FrameRate: Rational{Num: 25, Den: 1}, Preset: "ultrafast"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		if err := w.Write(&Frame{Index: int64(i), PTS: time.Duration(i) * 40 * time.Millisecond, Image: image.NewYCbCr(image.Rect(0, 0, 64, 64), image.YCbCrSubsampleRatio420)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Probe(real); err != nil {
		t.Fatalf("a real MP4 must open: %v", err)
	}
	for name, body := range map[string]string{
		"hls.mp4":    "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n" + real + "\n#EXT-X-ENDLIST\n",
		"concat.mp4": "ffconcat version 1.0\nfile " + real + "\n",
		"sdp.mp4":    "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nt=0 0\nm=video 9 RTP/AVP 96\na=rtpmap:96 H264/90000\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if inf, err := Probe(p); err == nil {
			t.Errorf("%s on disk opened as %q", name, inf.Format)
		}
		if inf, err := ProbeInput(Input{Path: name, ReaderAt: bytes.NewReader([]byte(body)), Size: int64(len(body))}); err == nil {
			t.Errorf("%s as clip bytes opened as %q", name, inf.Format)
		}
	}
}

// R-EXP-3: the top-level box walk finds a box that claims more than its
// file holds (a lying mdat size) and accepts a sound structure.
func TestWalkBoxes(t *testing.T) {
	bx := func(typ string, n int, claim uint32) []byte {
		b := make([]byte, 8+n)
		if claim == 0 {
			claim = uint32(8 + n)
		}
		binary.BigEndian.PutUint32(b, claim)
		copy(b[4:], typ)
		return b
	}
	good := bytes.Join([][]byte{bx("ftyp", 16, 0), bx("moov", 100, 0), bx("moof", 30, 0), bx("mdat", 400, 0)}, nil)
	if err := WalkBoxes(bytes.NewReader(good), int64(len(good))); err != nil {
		t.Errorf("sound file: %v", err)
	}
	for name, b := range map[string][]byte{
		"lying mdat": bytes.Join([][]byte{bx("ftyp", 16, 0), bx("moov", 100, 0), bx("mdat", 400, 1<<30)}, nil),
		"cut":        good[:len(good)-10],
		"garbage":    bytes.Join([][]byte{bx("ftyp", 16, 0), {0xff, 0xff, 0, 9, 1, 2, 3, 4, 5}}, nil),
		"tiny size":  bytes.Join([][]byte{bx("ftyp", 16, 0), bx("moov", 100, 3)}, nil),
	} {
		var be *BoxError
		if err := WalkBoxes(bytes.NewReader(b), int64(len(b))); !errors.As(err, &be) || be.Offset == 0 {
			t.Errorf("%s: %v, want a BoxError after ftyp", name, err)
		}
	}
}

// FuzzWalkBoxes: the box walk never panics nor loops on any input.
func FuzzWalkBoxes(f *testing.F) {
	f.Add([]byte("\x00\x00\x00\x10ftypisom\x00\x00\x00\x00\x00\x00\x00\x01mdat\x00\x00\x00\x00\x00\x00\x00\x20"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = WalkBoxes(bytes.NewReader(b), int64(len(b)))
	})
}

// R-EXP-3: after decoding, a jump of the frames' timestamps is reported as
// a hole with its start and end.
func TestVerifyFindsHoles(t *testing.T) {
	p := filepath.Join(t.TempDir(), "holes.mp4")
	w, err := CreateOutput(Output{Path: p}, EncodeOptions{Width: 64, Height: 64, FrameRate: Rational{Num: 25, Den: 1}, Preset: "ultrafast"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		k := i
		if i >= 50 {
			k = i + 30 // 30 frames (1.2 s) missing after frame 49
		}
		if err := w.Write(&Frame{Index: int64(i), PTS: time.Duration(k) * 40 * time.Millisecond, Image: image.NewYCbCr(image.Rect(0, 0, 64, 64), image.YCbCrSubsampleRatio420)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	inf, err := Verify(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(inf.Holes) != 1 || inf.Holes[0].From != 2000*time.Millisecond || inf.Holes[0].To != 3200*time.Millisecond {
		t.Errorf("holes %+v, want one from 2 s to 3.2 s", inf.Holes)
	}
}
