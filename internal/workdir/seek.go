package workdir

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// HeadSize is how much of the start of a [Dir.CreateSeekable] file stays
// in memory, where it can be rewritten until Close.
const HeadSize = 64 << 10

// ErrNotSequential is returned by a seekable writer asked to write past
// its head anywhere but at the end of what it wrote.
var ErrNotSequential = errors.New("workdir: only the first 64 KiB can be rewritten")

// SeekWriter writes an encrypted file that can be rewritten in its first
// [HeadSize] bytes: what an MP4 muxer needs to patch the size of the media
// box after the samples, without ever writing them in clear. The head
// stays in memory (it holds no image, only box headers); the rest is
// streamed through age.
type SeekWriter struct {
	d    *Dir
	name string
	head []byte // bytes [0, len(head)) of the file, len(head) <= HeadSize
	body io.WriteCloser
	f    *os.File
	pos  int64 // where the next Write goes
	size int64 // bytes written past the head, plus HeadSize once the body has begun
	err  error
}

// CreateSeekable creates (or truncates) the encrypted file name for a
// writer that seeks back into its first [HeadSize] bytes. Read it with
// [Dir.OpenReaderAt] after Close.
func (d *Dir) CreateSeekable(name string) (*SeekWriter, error) {
	w, err := d.Create(name)
	if err != nil {
		return nil, err
	}
	ww := w.(*writer)
	d.mu.Lock()
	delete(d.heads, name)
	d.mu.Unlock()
	return &SeekWriter{d: d, name: name, body: ww.w, f: ww.f}, nil
}

// Write writes p at the current position.
func (w *SeekWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	n := 0
	if w.pos < HeadSize {
		k := min(int64(len(p)), HeadSize-w.pos)
		if end := w.pos + k; end > int64(len(w.head)) {
			w.head = append(w.head, make([]byte, int(end)-len(w.head))...) // a hole reads as zeros
		}
		copy(w.head[w.pos:], p[:k])
		w.pos += k
		n = int(k)
		p = p[k:]
	}
	if len(p) == 0 {
		return n, nil
	}
	if len(w.head) < HeadSize || w.pos != w.bodyEnd() {
		return n, fmt.Errorf("%w (write at %d, end %d)", ErrNotSequential, w.pos, w.bodyEnd())
	}
	k, err := w.body.Write(p)
	w.pos += int64(k)
	w.size += int64(k)
	n += k
	if err != nil {
		w.err = fmt.Errorf("workdir: write %s: %w", w.name, err)
		return n, w.err
	}
	return n, nil
}

// bodyEnd is the offset just after the last byte written past the head.
func (w *SeekWriter) bodyEnd() int64 { return HeadSize + w.size }

// Seek sets the position of the next Write. Any position is accepted; a
// Write fails unless it starts inside the head or at the end.
func (w *SeekWriter) Seek(offset int64, whence int) (int64, error) {
	var p int64
	switch whence {
	case io.SeekStart:
		p = offset
	case io.SeekCurrent:
		p = w.pos + offset
	case io.SeekEnd:
		p = w.Size() + offset
	default:
		return w.pos, fmt.Errorf("workdir: seek: invalid whence %d", whence)
	}
	if p < 0 {
		return w.pos, errors.New("workdir: seek before the start")
	}
	w.pos = p
	return p, nil
}

// Size is the size of the file written so far.
func (w *SeekWriter) Size() int64 {
	if w.size > 0 {
		return w.bodyEnd()
	}
	return int64(len(w.head))
}

// Close finishes the body stream and keeps the head for the readers.
func (w *SeekWriter) Close() error {
	if w.body == nil {
		return w.err
	}
	err := errors.Join(w.body.Close(), w.f.Close())
	w.body, w.f = nil, nil
	if err != nil {
		w.err = fmt.Errorf("workdir: close %s: %w", w.name, err)
		return w.err
	}
	w.d.mu.Lock()
	defer w.d.mu.Unlock()
	if w.d.id == nil {
		return ErrErased
	}
	w.d.heads[w.name] = w.head
	return w.err
}
