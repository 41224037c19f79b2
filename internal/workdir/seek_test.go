package workdir

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestSeekWriter writes like an MP4 muxer: header, placeholder, samples,
// then a patch of the placeholder and an index at the end (R-PRG-1: the
// working copy is never on disk in clear).
func TestSeekWriter(t *testing.T) {
	tests := []struct {
		name  string
		body  int   // bytes after the header
		patch int64 // where the placeholder is patched
	}{
		{"tiny", 100, 40},
		{"exactly the head", HeadSize - 48, 40},
		{"large", 5*HeadSize + 777, 40},
		{"patch at the head's end", 3 * HeadSize, HeadSize - 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := New(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer d.Erase()
			want := make([]byte, 48+tt.body)
			rand.Read(want)
			copy(want[1000%len(want):], secret)
			w, err := d.CreateSeekable("v.mp4")
			if err != nil {
				t.Fatal(err)
			}
			// Written in odd pieces, like a muxer's buffer flushes.
			for off := 0; off < len(want); {
				n := min(len(want)-off, 7000+off%3)
				if _, err := w.Write(want[off : off+n]); err != nil {
					t.Fatal(err)
				}
				off += n
			}
			end := int64(len(want))
			if _, err := w.Seek(tt.patch, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			patch := []byte("SIZE")
			if _, err := w.Write(patch); err != nil {
				t.Fatal(err)
			}
			copy(want[tt.patch:], patch)
			if p, _ := w.Seek(0, io.SeekEnd); p != end {
				t.Fatalf("end at %d, want %d", p, end)
			}
			index := []byte("moov-index-at-the-end")
			if _, err := w.Write(index); err != nil {
				t.Fatal(err)
			}
			want = append(want, index...)
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(filepath.Join(d.Path(), "v.mp4.age"))
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(raw, []byte(secret)) || bytes.Contains(raw, index) {
				t.Fatal("the working file holds clear data")
			}
			ra, size, err := d.OpenReaderAt("v.mp4")
			if err != nil {
				t.Fatal(err)
			}
			if size != int64(len(want)) {
				t.Fatalf("size %d, want %d", size, len(want))
			}
			got, err := io.ReadAll(io.NewSectionReader(ra, 0, size))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatal("read back other bytes")
			}
			// Random access across the head's edge.
			if len(want) > HeadSize+10 {
				b := make([]byte, 20)
				if _, err := ra.ReadAt(b, HeadSize-10); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(b, want[HeadSize-10:HeadSize+10]) {
					t.Fatal("read across the head's edge")
				}
			}
			if _, err := ra.ReadAt(make([]byte, 1), size); !errors.Is(err, io.EOF) {
				t.Fatalf("read past the end: %v", err)
			}
			if err := d.Erase(); err != nil {
				t.Fatal(err)
			}
			if _, _, err := d.OpenReaderAt("v.mp4"); !errors.Is(err, ErrErased) {
				t.Fatalf("open after erase: %v", err)
			}
		})
	}
}

// newSeekWriter creates v.mp4 in a working folder erased after the test.
func newSeekWriter(t *testing.T) (*Dir, *SeekWriter) {
	t.Helper()
	d, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Erase() })
	w, err := d.CreateSeekable("v.mp4")
	if err != nil {
		t.Fatal(err)
	}
	return d, w
}

func TestSeekWriterRefusesRewritesPastTheHead(t *testing.T) {
	_, w := newSeekWriter(t)
	defer w.Close()
	if _, err := w.Write(make([]byte, 2*HeadSize)); err != nil {
		t.Fatal(err)
	}
	w.Seek(HeadSize+10, io.SeekStart)
	if _, err := w.Write([]byte("x")); !errors.Is(err, ErrNotSequential) {
		t.Fatalf("rewrite in the body: %v", err)
	}
	w.Seek(10, io.SeekEnd)
	if _, err := w.Write([]byte("x")); !errors.Is(err, ErrNotSequential) {
		t.Fatalf("write after a hole in the body: %v", err)
	}
}

func TestSeekWriterHoleInHead(t *testing.T) {
	d, w := newSeekWriter(t)
	w.Write([]byte("ab"))
	w.Seek(10, io.SeekStart) // like avio_skip over a reserved area
	w.Write([]byte("cd"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	ra, size, err := d.OpenReaderAt("v.mp4")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(io.NewSectionReader(ra, 0, size))
	if want := []byte("ab\x00\x00\x00\x00\x00\x00\x00\x00cd"); !bytes.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}
