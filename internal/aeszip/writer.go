package aeszip

import (
	"compress/flate"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Entry describes one file of an archive: its name, clear size and the
// SHA-256 of its clear content.
type Entry struct {
	Name   string
	Size   int64
	SHA256 [sha256.Size]byte
}

// Pipeline buffers: the caller's goroutine fills a buffer (and hashes the
// clear data), a second goroutine encrypts it, a third authenticates and
// writes it.
const (
	bufSize = 1 << 20
	numBufs = 4
)

// Writer writes a ZIP archive whose entries are all encrypted with WinZip
// AES-256 (AE-2). It seeks back to complete each local header, so the
// output must be seekable and must not be opened in append mode.
//
// A Writer is not safe for concurrent use. Always call Close, also after an
// error: it stops the entry's goroutines.
type Writer struct {
	out      io.WriteSeeker
	password string
	rand     io.Reader // source of salts

	started bool
	base    int64  // position of the archive's first byte in out
	off     uint64 // bytes written, relative to base

	cur     *entryWriter
	dir     []*header
	names   map[string]bool
	entries []Entry
	bufs    chan []byte
	closed  bool
	err     error // sticky: once set, every call returns it
}

// header is what the central directory needs about an entry.
type header struct {
	name     string
	modified time.Time
	method   uint16 // method of the clear data inside the AES wrapper
	flags    uint16
	offset   uint64 // of the local header
	csize    uint64 // salt + verifier + data + MAC
	usize    uint64
}

// NewWriter returns a Writer that writes an archive to out, starting at
// out's current position, with every entry encrypted under password.
func NewWriter(out io.WriteSeeker, password string) *Writer {
	return &Writer{out: out, password: password, rand: rand.Reader, names: map[string]bool{}}
}

// Create adds an entry and returns the writer for its clear content, valid
// until the next call to Create or Close. modified is stored as MS-DOS time
// (its wall clock) and as Unix time. With compress the data is deflated
// before encryption (for text); otherwise it is stored (for video).
//
// The returned writer also implements io.ReaderFrom, so io.Copy from a file
// reads straight into the pipeline's buffers.
func (w *Writer) Create(name string, modified time.Time, compress bool) (io.Writer, error) {
	if w.closed {
		return nil, ErrClosed
	}
	if err := w.finishEntry(); err != nil {
		return nil, err
	}
	if w.password == "" {
		return nil, ErrEmptyPassword
	}
	if err := validName(name); err != nil {
		return nil, err
	}
	if w.names[name] {
		return nil, fmt.Errorf("%w: %q", ErrDuplicateName, name)
	}
	if err := w.start(); err != nil {
		return nil, err
	}

	h := &header{name: name, modified: modified, method: methodStore, flags: flagEncrypted, offset: w.off}
	if compress {
		h.method = methodDeflate
	}
	if !isASCII(name) {
		h.flags |= flagUTF8
	}
	salt := make([]byte, saltLen)
	if _, err := io.ReadFull(w.rand, salt); err != nil {
		return nil, w.fail(fmt.Errorf("aeszip: read salt: %w", err))
	}
	k, err := deriveKeys(w.password, salt, kdfIter)
	if err != nil {
		return nil, w.fail(err)
	}
	ctr, err := newCTR(k.enc)
	if err != nil {
		return nil, w.fail(err)
	}
	if err := w.write(h.local()); err != nil {
		return nil, err
	}
	if err := w.write(append(salt, k.verifier[:]...)); err != nil {
		return nil, err
	}

	if w.bufs == nil {
		w.bufs = make(chan []byte, numBufs)
		for range numBufs {
			w.bufs <- make([]byte, 0, bufSize)
		}
	}
	e := &entryWriter{w: w, h: h, sum: sha256.New(), p: newPipeline(w.out, w.bufs, ctr, k.newMAC())}
	if compress {
		e.fw, _ = flate.NewWriter(e.p, flate.DefaultCompression) // level is valid
	}
	w.names[name] = true
	w.cur = e
	return e, nil
}

// Entries returns the entries completed so far, in archive order; after
// Close, all of them.
func (w *Writer) Entries() []Entry {
	return append([]Entry(nil), w.entries...)
}

// Close completes the last entry and writes the central directory. It does
// not close the underlying writer.
func (w *Writer) Close() error {
	if w.closed {
		return ErrClosed
	}
	w.closed = true
	if err := w.finishEntry(); err != nil {
		return err
	}
	if w.err != nil {
		return w.err
	}
	if err := w.start(); err != nil {
		return err
	}

	cdOffset := w.off
	var cd []byte
	for _, h := range w.dir {
		cd = h.central(cd)
	}
	if err := w.write(cd); err != nil {
		return err
	}
	cdSize := w.off - cdOffset
	n := uint64(len(w.dir))

	needZip64 := n >= zip64Entries || cdSize >= zip64Threshold || cdOffset >= zip64Threshold
	if needZip64 {
		recOffset := w.off
		b := le(make([]byte, 0, zip64EOCDLen+zip64LocatorLen)).
			u32(sigZip64EOCD).u64(zip64EOCDLen - 12).u16(versionMadeBy).u16(versionNeeded).
			u32(0).u32(0).u64(n).u64(n).u64(cdSize).u64(cdOffset).
			u32(sigZip64Locator).u32(0).u64(recOffset).u32(1)
		if err := w.write(b); err != nil {
			return err
		}
	}
	n16 := uint16(n)
	if n >= zip64Entries {
		n16 = uint16max
	}
	b := le(make([]byte, 0, eocdLen)).
		u32(sigEOCD).u16(0).u16(0).u16(n16).u16(n16).
		u32(clamp32(cdSize)).u32(clamp32(cdOffset)).u16(0)
	return w.write(b)
}

// start records where the archive begins in out.
func (w *Writer) start() error {
	if w.started {
		return nil
	}
	pos, err := w.out.Seek(0, io.SeekCurrent)
	if err != nil {
		return w.fail(fmt.Errorf("aeszip: %w", err))
	}
	w.base, w.started = pos, true
	return nil
}

// write writes b at the end of the archive.
func (w *Writer) write(b []byte) error {
	if w.err != nil {
		return w.err
	}
	n, err := w.out.Write(b)
	w.off += uint64(n)
	if err != nil {
		return w.fail(fmt.Errorf("aeszip: %w", err))
	}
	return nil
}

// fail records the first error; the Writer is unusable afterwards.
func (w *Writer) fail(err error) error {
	if w.err == nil {
		w.err = err
	}
	return w.err
}

// finishEntry drains the pipeline of the current entry, writes its
// authentication code and completes its local header.
func (w *Writer) finishEntry() error {
	e := w.cur
	if e == nil {
		return w.err
	}
	w.cur = nil
	e.closed = true
	var ferr error
	if e.fw != nil {
		ferr = e.fw.Close()
	}
	perr := e.p.close()
	if err := errors.Join(ferr, perr); err != nil {
		return w.fail(fmt.Errorf("aeszip: write %q: %w", e.h.name, err))
	}
	w.off += e.p.n
	if err := w.write(e.p.mac.Sum(nil)[:macLen]); err != nil {
		return err
	}

	h := e.h
	h.usize = e.usize
	h.csize = saltLen + verifierLen + e.p.n + macLen
	if _, err := w.out.Seek(w.base+int64(h.offset), io.SeekStart); err != nil {
		return w.fail(fmt.Errorf("aeszip: %w", err))
	}
	if _, err := w.out.Write(h.local()); err != nil {
		return w.fail(fmt.Errorf("aeszip: %w", err))
	}
	if _, err := w.out.Seek(w.base+int64(w.off), io.SeekStart); err != nil {
		return w.fail(fmt.Errorf("aeszip: %w", err))
	}

	w.dir = append(w.dir, h)
	ent := Entry{Name: h.name, Size: int64(h.usize)}
	e.sum.Sum(ent.SHA256[:0])
	w.entries = append(w.entries, ent)
	return nil
}

// local returns the local file header. Its length does not depend on the
// sizes: 20 bytes hold either the ZIP64 sizes or padding.
func (h *header) local() []byte {
	date, tm := dosTime(h.modified)
	zip64 := h.csize >= zip64Threshold || h.usize >= zip64Threshold
	b := le(make([]byte, 0, localLen+len(h.name)+zip64LocalExtraLen+utExtraLen+aesExtraLen)).
		u32(sigLocal).u16(versionNeeded).u16(h.flags).u16(methodAES).u16(tm).u16(date).u32(0)
	if zip64 {
		b = b.u32(uint32max).u32(uint32max)
	} else {
		b = b.u32(uint32(h.csize)).u32(uint32(h.usize))
	}
	b = b.u16(uint16(len(h.name))).u16(uint16(h.extraLen(zip64LocalExtraLen)))
	b = append(b, h.name...)
	if zip64 {
		b = b.u16(extraZip64).u16(16).u64(h.usize).u64(h.csize)
	} else {
		b = b.u16(extraPad).u16(16).u64(0).u64(0)
	}
	return h.appendCommonExtra(b)
}

// central appends the central directory header to b.
func (h *header) central(b []byte) []byte {
	date, tm := dosTime(h.modified)
	zip64 := h.csize >= zip64Threshold || h.usize >= zip64Threshold || h.offset >= zip64Threshold
	z64len := 0
	if zip64 {
		z64len = zip64CentralLen
	}
	x := le(b).u32(sigCentral).u16(versionMadeBy).u16(versionNeeded).u16(h.flags).
		u16(methodAES).u16(tm).u16(date).u32(0)
	if zip64 {
		x = x.u32(uint32max).u32(uint32max)
	} else {
		x = x.u32(uint32(h.csize)).u32(uint32(h.usize))
	}
	x = x.u16(uint16(len(h.name))).u16(uint16(h.extraLen(z64len))).u16(0).u16(0).u16(0).u32(externalAttrs)
	if zip64 {
		x = x.u32(uint32max)
	} else {
		x = x.u32(uint32(h.offset))
	}
	x = append(x, h.name...)
	if zip64 {
		x = x.u16(extraZip64).u16(24).u64(h.usize).u64(h.csize).u64(h.offset)
	}
	return h.appendCommonExtra(x)
}

func (h *header) extraLen(zip64Len int) int {
	n := zip64Len + aesExtraLen
	if _, ok := unixTime(h.modified); ok {
		n += utExtraLen
	}
	return n
}

// appendCommonExtra appends the extended timestamp (when the time fits) and
// the AES extra field, identical in local and central headers.
func (h *header) appendCommonExtra(b le) []byte {
	if t, ok := unixTime(h.modified); ok {
		b = b.u16(extraUT).u16(5)
		b = append(b, 1) // flags: modification time present
		b = b.u32(t)
	}
	b = b.u16(extraAES).u16(7).u16(aesVendorAE2)
	b = append(b, 'A', 'E', aesStrength256)
	return b.u16(h.method)
}

func clamp32(v uint64) uint32 {
	if v >= zip64Threshold {
		return uint32max
	}
	return uint32(v)
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// validName accepts relative slash-separated names that extract safely on
// Windows, macOS and Linux.
func validName(name string) error {
	bad := name == "" || len(name) > uint16max || !utf8.ValidString(name) ||
		strings.ContainsAny(name, `\<>:"|?*`) ||
		strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f })
	if !bad {
		for part := range strings.SplitSeq(name, "/") {
			if part == "" || part == "." || part == ".." {
				bad = true
				break
			}
		}
	}
	if bad {
		return fmt.Errorf("%w: %q", ErrInvalidName, name)
	}
	return nil
}

// entryWriter receives the clear content of one entry.
type entryWriter struct {
	w      *Writer
	h      *header
	sum    hash.Hash // SHA-256 of the clear data
	usize  uint64
	fw     *flate.Writer // nil when stored
	p      *pipeline
	closed bool
}

func (e *entryWriter) Write(b []byte) (int, error) {
	if e.closed {
		return 0, ErrClosed
	}
	if err := e.p.failed(); err != nil {
		return 0, err
	}
	e.sum.Write(b)
	e.usize += uint64(len(b))
	if e.fw != nil {
		return e.fw.Write(b)
	}
	return e.p.Write(b)
}

// ReadFrom reads r to its end straight into the pipeline's buffers.
func (e *entryWriter) ReadFrom(r io.Reader) (int64, error) {
	if e.fw != nil {
		return io.Copy(writerOnly{e}, r)
	}
	var total int64
	for {
		if e.closed {
			return total, ErrClosed
		}
		if err := e.p.failed(); err != nil {
			return total, err
		}
		buf := e.p.spare()
		n, err := io.ReadFull(r, buf)
		e.sum.Write(buf[:n])
		e.usize += uint64(n)
		total += int64(n)
		e.p.commit(n)
		switch {
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			return total, e.p.failed()
		case err != nil:
			return total, err
		}
	}
}

// writerOnly hides ReadFrom from io.Copy.
type writerOnly struct{ io.Writer }

// pipeline encrypts and authenticates an entry's payload (clear or
// deflated data) on two goroutines and writes it to out.
type pipeline struct {
	out   io.Writer
	ctr   *ctrLE
	mac   hash.Hash
	free  chan []byte // empty buffers, shared with the Writer
	toEnc chan []byte
	toMac chan []byte
	done  chan struct{}
	cur   []byte // buffer being filled by the caller
	n     uint64 // payload bytes handed to the goroutines

	mu  sync.Mutex
	err error // first write error of out
}

func newPipeline(out io.Writer, free chan []byte, ctr *ctrLE, mac hash.Hash) *pipeline {
	p := &pipeline{
		out: out, ctr: ctr, mac: mac, free: free,
		toEnc: make(chan []byte, numBufs),
		toMac: make(chan []byte, numBufs),
		done:  make(chan struct{}),
	}
	go p.encrypt()
	go p.authenticate()
	return p
}

func (p *pipeline) encrypt() {
	for b := range p.toEnc {
		if p.failed() == nil {
			p.ctr.XORKeyStream(b, b)
		}
		p.toMac <- b
	}
	close(p.toMac)
}

func (p *pipeline) authenticate() {
	defer close(p.done)
	for b := range p.toMac {
		if p.failed() == nil {
			p.mac.Write(b)
			if _, err := p.out.Write(b); err != nil {
				p.mu.Lock()
				p.err = err
				p.mu.Unlock()
			}
		}
		p.free <- b[:0]
	}
}

func (p *pipeline) failed() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// spare returns the free part of the buffer being filled.
func (p *pipeline) spare() []byte {
	if p.cur == nil {
		p.cur = <-p.free
	}
	return p.cur[len(p.cur):cap(p.cur)]
}

// commit marks n more bytes of the current buffer as filled and hands a
// full buffer to the goroutines.
func (p *pipeline) commit(n int) {
	p.cur = p.cur[:len(p.cur)+n]
	if len(p.cur) == cap(p.cur) {
		p.n += uint64(len(p.cur))
		p.toEnc <- p.cur
		p.cur = nil
	}
}

func (p *pipeline) Write(b []byte) (int, error) {
	total := len(b)
	for len(b) > 0 {
		n := copy(p.spare(), b)
		p.commit(n)
		b = b[n:]
	}
	return total, p.failed()
}

// close hands over the last partial buffer, waits for the goroutines to
// finish and returns the first write error.
func (p *pipeline) close() error {
	if p.cur != nil {
		if len(p.cur) > 0 {
			p.n += uint64(len(p.cur))
			p.toEnc <- p.cur
		} else {
			p.free <- p.cur
		}
		p.cur = nil
	}
	close(p.toEnc)
	<-p.done
	return p.failed()
}
