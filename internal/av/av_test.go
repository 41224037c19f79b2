package av_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/internal/workdir"
)

// writeClip encodes n frames of a moving bar at 25 fps.
func writeClip(t testing.TB, p string, n int, frag bool) {
	t.Helper()
	w, err := av.CreateOutput(av.Output{Path: p, Fragmented: frag}, av.EncodeOptions{Width: 160, Height: 90, FrameRate: av.Rational{Num: 25, Den: 1}, Preset: "ultrafast"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		img := image.NewYCbCr(image.Rect(0, 0, 160, 90), image.YCbCrSubsampleRatio420)
		for y := 0; y < 90; y++ {
			for x := 0; x < 160; x++ {
				v := uint8(40)
				if (x+i*3)%160 < 20 {
					v = 220
				}
				img.Y[y*img.YStride+x] = v
			}
		}
		for k := range img.Cb {
			img.Cb[k], img.Cr[k] = 128, 128
		}
		if err := w.Write(&av.Frame{Index: int64(i), PTS: time.Duration(i) * 40 * time.Millisecond, Image: img}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestWriteReadVerify(t *testing.T) {
	for _, frag := range []bool{false, true} {
		p := filepath.Join(t.TempDir(), "a.mp4")
		writeClip(t, p, 60, frag)
		inf, err := av.Verify(context.Background(), p, nil)
		if err != nil {
			t.Fatal(err)
		}
		if inf.Frames != 60 || inf.Codec != "h264" || inf.Width != 160 || inf.Height != 90 {
			t.Errorf("fragmented=%v: %+v", frag, inf)
		}
		if inf.Duration != 2400*time.Millisecond {
			t.Errorf("duration %s, want 2.4s", inf.Duration)
		}
		b, _ := os.ReadFile(p)
		inf2, err := av.VerifyInput(context.Background(), av.Input{Path: "mem", ReaderAt: bytes.NewReader(b), Size: int64(len(b))}, nil)
		if err != nil || inf2.Frames != 60 {
			t.Errorf("from memory: %+v %v", inf2, err)
		}
		// Remux from memory (a spooled network clip): the packets must come
		// through intact, which only a correct seek callback gives.
		out := filepath.Join(t.TempDir(), "r.mp4")
		if _, err := av.Remux(context.Background(), []av.Input{{Path: "mem", ReaderAt: bytes.NewReader(b), Size: int64(len(b)), StartIsZero: true}}, av.Output{Path: out}, av.RemuxOptions{}); err != nil {
			t.Fatal(err)
		}
		inf2, err = av.Verify(context.Background(), out, nil)
		if err != nil || inf2.Frames != 60 {
			t.Errorf("from memory: %+v %v", inf2, err)
		}
	}
}

func TestRemuxSegments(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	var inputs []av.Input
	for i := 0; i < 3; i++ {
		p := filepath.Join(dir, string(rune('a'+i))+".mp4")
		writeClip(t, p, 100, true) // 4 s each, keyframe every 2 s
		inputs = append(inputs, av.Input{Path: p, Start: t0.Add(time.Duration(i) * 4 * time.Second)})
	}
	out := filepath.Join(dir, "out.mp4")
	res, err := av.Remux(context.Background(), inputs, av.Output{Path: out}, av.RemuxOptions{From: t0.Add(3 * time.Second), To: t0.Add(9 * time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Start.Equal(t0.Add(2 * time.Second)) {
		t.Errorf("start %s, want the keyframe at +2s", res.Start.Sub(t0))
	}
	inf, err := av.Verify(context.Background(), out, nil)
	if err != nil {
		t.Fatal(err)
	}
	if inf.Frames != 175 { // 2 s .. 9 s at 25 fps
		t.Errorf("frames %d, want 175", inf.Frames)
	}
	if len(res.Covered) != 3 {
		t.Errorf("covered %v", res.Covered)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.mp4")
	os.WriteFile(junk, bytes.Repeat([]byte("not a video "), 1000), 0o644)
	for _, p := range []string{junk, filepath.Join(dir, "missing.mp4")} {
		_, err := av.Probe(p)
		var ae *av.Error
		if !errors.As(err, &ae) || ae.Path != p {
			t.Errorf("Probe(%s) = %v, want an error naming the file", p, err)
		}
		if _, err := av.Verify(context.Background(), p, nil); err == nil {
			t.Errorf("Verify(%s) succeeded", p)
		}
	}
	_, err := av.Remux(context.Background(), []av.Input{{Path: junk}}, av.Output{Path: filepath.Join(dir, "o.mp4")}, av.RemuxOptions{})
	if !errors.Is(err, av.ErrNothingWritten) {
		t.Errorf("Remux of junk: %v", err)
	}
}

func TestCancelRead(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.mp4")
	writeClip(t, p, 30, false)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := av.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Read(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Read after cancel: %v", err)
	}
}

// FuzzProbe feeds hostile bytes to the demuxer: an error, never a crash.
func FuzzProbe(f *testing.F) {
	p := filepath.Join(f.TempDir(), "seed.mp4")
	writeClip(f, p, 5, true)
	seed, _ := os.ReadFile(p)
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add([]byte("\x00\x00\x00\x18ftypisom"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := av.OpenInput(av.Input{Path: "fuzz", ReaderAt: bytes.NewReader(b), Size: int64(len(b))})
		if err != nil {
			return
		}
		defer r.Close()
		for i := 0; i < 50; i++ {
			if _, err := r.Read(context.Background()); err != nil {
				if !errors.Is(err, io.EOF) && err.Error() == "" {
					t.Fatal("empty error")
				}
				return
			}
		}
	})
}

// TestWriteThroughSeeker writes an encoded clip and a remux through an
// encrypted working file (R-PRG-1: working copies are never in clear) and
// reads them back with random access.
func TestWriteThroughSeeker(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.mp4")
	writeClip(t, src, 100, false)
	wd, err := workdir.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer wd.Erase()

	enc, err := wd.CreateSeekable("enc.mp4")
	if err != nil {
		t.Fatal(err)
	}
	rd, err := av.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	w, err := av.CreateOutput(av.Output{Path: "enc.mp4", W: enc}, av.EncodeOptions{Width: 160, Height: 90, FrameRate: av.Rational{Num: 25, Den: 1}, Preset: "ultrafast"})
	if err != nil {
		t.Fatal(err)
	}
	for {
		f, err := rd.Read(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(f); err != nil {
			t.Fatal(err)
		}
	}
	rd.Close()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}

	rem, err := wd.CreateSeekable("remux.mp4")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := av.Remux(context.Background(), []av.Input{{Path: src}}, av.Output{Path: "remux.mp4", W: rem}, av.RemuxOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := rem.Close(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"enc.mp4", "remux.mp4"} {
		ra, size, err := wd.OpenReaderAt(name)
		if err != nil {
			t.Fatal(err)
		}
		inf, err := av.VerifyInput(context.Background(), av.Input{Path: name, ReaderAt: ra, Size: size}, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if inf.Frames != 100 || inf.Duration != 4*time.Second {
			t.Errorf("%s: %d frames, %s", name, inf.Frames, inf.Duration)
		}
		// ffprobe reads it as the recipient will, once out of the archive.
		b, _ := io.ReadAll(io.NewSectionReader(ra, 0, size))
		clear := filepath.Join(dir, name)
		os.WriteFile(clear, b, 0o600)
		out, err := exec.Command("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
			"-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", clear).CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "100" {
			t.Errorf("ffprobe %s: %s %v", name, out, err)
		}
	}
}

// failingSeeker fails every write after the first n bytes.
type failingSeeker struct {
	n   int
	pos int64
}

var errDiskFull = errors.New("disk full")

func (f *failingSeeker) Write(b []byte) (int, error) {
	if f.n -= len(b); f.n < 0 {
		return 0, errDiskFull
	}
	f.pos += int64(len(b))
	return len(b), nil
}

func (f *failingSeeker) Seek(off int64, whence int) (int64, error) {
	if whence == io.SeekStart {
		f.pos = off
	}
	return f.pos, nil
}

func TestWriteThroughSeekerError(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src.mp4")
	writeClip(t, src, 100, false)
	_, err := av.Remux(context.Background(), []av.Input{{Path: src}}, av.Output{Path: "o.mp4", W: &failingSeeker{n: 5000}}, av.RemuxOptions{})
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("Remux onto a full disk: %v, want the writer's error", err)
	}
}

// A recycled picture is filled again by a later Read, with that frame's
// pixels (the same as a decoder that allocates), in one decoding thread
// as with FFmpeg's own choice.
func TestRecycle(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.mp4")
	writeClip(t, p, 30, false)
	read := func(opt av.DecodeOptions, recycle bool) (pics []*image.YCbCr, reused int) {
		r, err := av.OpenInputWith(av.Input{Path: p}, opt)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		seen := map[*image.YCbCr]bool{}
		for {
			f, err := r.Read(context.Background())
			if errors.Is(err, io.EOF) {
				return pics, reused
			}
			if err != nil {
				t.Fatal(err)
			}
			if seen[f.Image] {
				reused++
			}
			seen[f.Image] = true
			pics = append(pics, &image.YCbCr{Y: bytes.Clone(f.Image.Y), Rect: f.Image.Rect, YStride: f.Image.YStride})
			if recycle {
				r.Recycle(f.Image)
			}
		}
	}
	want, n := read(av.DecodeOptions{}, false)
	if n != 0 || len(want) != 30 {
		t.Fatalf("%d frames, %d pictures reused without Recycle", len(want), n)
	}
	got, n := read(av.DecodeOptions{Threads: 1}, true)
	if n != 29 {
		t.Errorf("%d of 30 pictures reused, want 29", n)
	}
	for i := range want {
		if !bytes.Equal(got[i].Y, want[i].Y) {
			t.Fatalf("frame %d differs when decoded into a recycled picture", i)
		}
	}
}

// Hash gives the size and SHA-256 of a file and of the same bytes read
// through a ReaderAt, and stops when its context is done.
func TestInputHash(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.mp4")
	writeClip(t, p, 10, false)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("sha256sum", p).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Fields(string(out))[0]
	for _, in := range []av.Input{{Path: p}, {Path: "mem", ReaderAt: bytes.NewReader(b), Size: int64(len(b))}} {
		n, sum, err := in.Hash(context.Background())
		if err != nil || n != int64(len(b)) || sum != want {
			t.Errorf("%s: %d %s %v, want %d %s", in.Path, n, sum, err, len(b), want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := (av.Input{Path: p}).Hash(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
}

// SeekBefore lands on the key frame at or before the time asked, as
// ffprobe lists the key frames of the file; frames are then uncounted
// (Index -1) and read on in order (the player goes back without decoding
// the clip from its start).
func TestSeekBefore(t *testing.T) {
	p := filepath.Join(t.TempDir(), "clip.mp4")
	writeClip(t, p, 130, false)
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-skip_frame", "nokey",
		"-show_entries", "frame=pts_time", "-of", "csv=p=0", p).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	var keys []time.Duration
	for _, l := range strings.Fields(string(out)) {
		f, err := strconv.ParseFloat(strings.TrimSuffix(l, ","), 64)
		if err != nil {
			t.Fatalf("ffprobe line %q", l)
		}
		keys = append(keys, time.Duration(f*float64(time.Second)).Round(time.Millisecond))
	}
	if len(keys) < 2 {
		t.Fatalf("key frames %v: the clip needs more than one", keys)
	}
	r, err := av.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx := context.Background()
	for _, at := range []time.Duration{keys[1] + 200*time.Millisecond, 100 * time.Millisecond, keys[len(keys)-1], keys[1] - 40*time.Millisecond} {
		if err := r.SeekBefore(at); err != nil {
			t.Fatal(err)
		}
		want := keys[0]
		for _, k := range keys {
			if k <= at {
				want = k
			}
		}
		f, err := r.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if f.PTS.Round(time.Millisecond) != want || f.Index != -1 {
			t.Errorf("seek before %s: frame at %s (index %d), want the key frame at %s", at, f.PTS, f.Index, want)
		}
		g, err := r.Read(ctx)
		if err != nil || g.PTS-f.PTS != 40*time.Millisecond {
			t.Errorf("after the key frame at %s: %v %v", f.PTS, g, err)
		}
	}
}
