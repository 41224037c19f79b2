package aeszip

import (
	"bytes"
	"context"
	"io"
	"testing"
)

// discardSeeker counts what is written and accepts every seek.
type discardSeeker struct{ pos, size int64 }

func (d *discardSeeker) Write(p []byte) (int, error) {
	d.pos += int64(len(p))
	d.size = max(d.size, d.pos)
	return len(p), nil
}

func (d *discardSeeker) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		off += d.pos
	case io.SeekEnd:
		off += d.size
	}
	d.pos = off
	return off, nil
}

// BenchmarkWrite measures encryption, authentication and SHA-256 of a
// 256 MiB stored entry (the output is discarded, so no disk time).
func BenchmarkWrite(b *testing.B) {
	const size = 256 << 20
	b.SetBytes(size)
	for b.Loop() {
		zw := NewWriter(&discardSeeker{}, testPassword)
		w, err := zw.Create("video.mp4", testTime, false)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(w, &zeroReader{n: size}); err != nil {
			b.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify measures Verify on a 64 MiB stored entry in memory.
func BenchmarkVerify(b *testing.B) {
	const size = 64 << 20
	m := &memSeeker{}
	zw := NewWriter(m, testPassword)
	w, _ := zw.Create("video.mp4", testTime, false)
	io.Copy(w, &zeroReader{n: size})
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	for b.Loop() {
		if _, err := Verify(context.Background(), bytes.NewReader(m.buf), int64(len(m.buf)), testPassword); err != nil {
			b.Fatal(err)
		}
	}
}
