package aeszip

import (
	"bytes"
	"cmp"
	"compress/flate"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"

	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"slices"
	"strings"
	"time"
)

// maxSize bounds every size and offset read from an archive, so that sums
// of them cannot overflow int64.
const maxSize = 1 << 60

// Reader gives access to the entries of a WinZip AES-256 archive. The
// archive is untrusted input: names are returned as stored and must be
// checked before use as paths; headers (names, sizes, times) are not
// authenticated by the format, only each entry's content is.
type Reader struct {
	// Files lists the file entries in central directory order. Directory
	// entries (names ending in "/", empty) are left out.
	Files []*File
}

// File is one encrypted entry of a Reader.
type File struct {
	Name       string
	Modified   time.Time // from the extended timestamp, else MS-DOS time read as UTC
	Size       int64     // clear size
	Compressed bool      // deflated before encryption (else stored)

	r          io.ReaderAt
	vendor     uint16 // AE-1 (CRC checked) or AE-2 (no CRC)
	crc        uint32
	csize      int64 // salt + verifier + data + MAC
	offset     int64 // of the local header
	dataOffset int64 // of the salt
}

// NewReader reads the central directory (ZIP64 included) of the archive of
// size bytes in r and the local header of every entry. Every entry must be
// WinZip AES-256 encrypted, stored or deflated; entries must not overlap.
func NewReader(r io.ReaderAt, size int64) (*Reader, error) {
	cd, count, err := readEOCD(r, size)
	if err != nil {
		return nil, err
	}
	files, err := parseCentral(cd.data, count)
	if err != nil {
		return nil, err
	}
	if err := readLocals(r, files, cd.offset); err != nil {
		return nil, err
	}
	for _, f := range files {
		f.r = r
	}
	return &Reader{Files: files}, nil
}

// File returns the entry called name, or nil.
func (z *Reader) File(name string) *File {
	for _, f := range z.Files {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Verify checks every entry of the archive of size bytes in r: password
// (ErrWrongPassword), authentication code (ErrCorrupt), and consistency of
// the clear data with its header. It returns the entries with the SHA-256
// of their clear content, in archive order. On error it returns the
// entries verified before the failing one. Errors about an entry name it.
//
// To report progress, wrap r in a ReaderAt that counts the bytes read.
func Verify(ctx context.Context, r io.ReaderAt, size int64, password string) ([]Entry, error) {
	z, err := NewReader(r, size)
	if err != nil {
		return nil, err
	}
	entries := make([]Entry, 0, len(z.Files))
	for _, f := range z.Files {
		e, err := f.Extract(ctx, password, io.Discard)
		if err != nil {
			return entries, err
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// Extract decrypts the entry into w and returns its SHA-256. Data reaches w
// before the entry is authenticated, which only happens at its end: on
// error, discard what w received.
func (f *File) Extract(ctx context.Context, password string, w io.Writer) (Entry, error) {
	e, err := f.extract(ctx, password, w)
	if err != nil {
		return Entry{}, fmt.Errorf("entry %q: %w", f.Name, err)
	}
	return e, nil
}

func (f *File) extract(ctx context.Context, password string, w io.Writer) (Entry, error) {
	if err := ctx.Err(); err != nil {
		return Entry{}, err
	}
	hdr, err := readAt(f.r, f.dataOffset, saltLen+verifierLen)
	if err != nil {
		return Entry{}, err
	}
	k, err := deriveKeys(password, hdr[:saltLen], kdfIter)
	if err != nil {
		return Entry{}, err
	}
	if subtle.ConstantTimeCompare(k.verifier[:], hdr[saltLen:]) != 1 {
		return Entry{}, ErrWrongPassword
	}
	ctr, err := newCTR(k.enc)
	if err != nil {
		return Entry{}, err
	}
	dataLen := f.csize - overhead
	bufLen := int(min(bufSize, max(dataLen, 512))) // small entries, small buffers
	dr := newDecryptReader(ctx, io.NewSectionReader(f.r, f.dataOffset+saltLen+verifierLen, dataLen), ctr, k.newMAC(), bufLen)
	defer dr.close()
	var src io.Reader = dr
	if f.Compressed {
		src = flate.NewReader(dr)
	}
	sum := sha256.New()
	sinks := []io.Writer{sum}
	var crc hash.Hash32
	if f.vendor == aesVendorAE1 {
		crc = crc32.NewIEEE()
		sinks = append(sinks, crc)
	}
	out := &sinkWriter{w: w}
	sinks = append(sinks, out)
	buf := make([]byte, bufLen)
	n, copyErr := io.CopyBuffer(io.MultiWriter(sinks...), io.LimitReader(src, f.Size+1), buf)
	if out.err != nil {
		return Entry{}, out.err
	}
	// Authenticate all the ciphertext, also what inflate left unread.
	if _, err := io.CopyBuffer(io.Discard, dr, buf); err != nil {
		return Entry{}, err
	}
	if dr.err != nil {
		return Entry{}, dr.err
	}
	stored, err := readAt(f.r, f.dataOffset+f.csize-macLen, macLen)
	if err != nil {
		return Entry{}, err
	}
	if !hmac.Equal(dr.sum(), stored) {
		return Entry{}, fmt.Errorf("%w: authentication code mismatch", ErrCorrupt)
	}
	switch {
	case copyErr != nil:
		return Entry{}, fmt.Errorf("%w: inflate: %v", ErrCorrupt, copyErr)
	case n != f.Size:
		return Entry{}, fmt.Errorf("%w: %d bytes of clear data, header says %d", ErrCorrupt, n, f.Size)
	case crc != nil && crc.Sum32() != f.crc:
		return Entry{}, fmt.Errorf("%w: CRC mismatch", ErrCorrupt)
	}
	e := Entry{Name: f.Name, Size: n}
	sum.Sum(e.SHA256[:0])
	return e, nil
}

// decryptReader decrypts the ciphertext of an entry. A goroutine reads
// ahead and authenticates the ciphertext while the caller's goroutine
// decrypts and hashes; call close to stop it.
type decryptReader struct {
	ctx    context.Context
	ctr    *ctrLE
	mac    hash.Hash // owned by the goroutine until it sent its last chunk
	chunks chan chunk
	free   chan []byte
	stop   chan struct{}
	cur    []byte // ciphertext received, not yet decrypted
	buf    []byte // buffer holding cur, to give back
	eof    bool
	err    error // first error other than io.EOF
}

// chunk is ciphertext read and authenticated by the goroutine.
type chunk struct {
	buf []byte
	err error // io.EOF after the last byte
}

// readBufs is the number of read-ahead buffers.
const readBufs = 4

func newDecryptReader(ctx context.Context, r io.Reader, ctr *ctrLE, mac hash.Hash, chunkLen int) *decryptReader {
	d := &decryptReader{
		ctx: ctx, ctr: ctr, mac: mac,
		chunks: make(chan chunk, readBufs),
		free:   make(chan []byte, readBufs),
		stop:   make(chan struct{}),
	}
	for range readBufs {
		d.free <- make([]byte, chunkLen)
	}
	go d.readAhead(r)
	return d
}

func (d *decryptReader) readAhead(r io.Reader) {
	for {
		var buf []byte
		select {
		case buf = <-d.free:
		case <-d.stop:
			return
		}
		n, err := io.ReadFull(r, buf)
		d.mac.Write(buf[:n])
		if err == io.ErrUnexpectedEOF {
			err = io.EOF
		}
		select {
		case d.chunks <- chunk{buf: buf[:n], err: err}:
		case <-d.stop:
			return
		}
		if err != nil {
			return
		}
	}
}

func (d *decryptReader) Read(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	if err := d.ctx.Err(); err != nil {
		d.err = err
		return 0, err
	}
	for len(d.cur) == 0 {
		if d.eof {
			return 0, io.EOF
		}
		if d.buf != nil {
			d.free <- d.buf[:cap(d.buf)]
			d.buf = nil
		}
		c := <-d.chunks
		d.buf, d.cur = c.buf, c.buf
		switch {
		case c.err == io.EOF:
			d.eof = true
		case c.err != nil:
			d.err = fmt.Errorf("aeszip: read: %w", c.err)
			return 0, d.err
		}
	}
	n := min(len(p), len(d.cur))
	d.ctr.XORKeyStream(p[:n], d.cur[:n])
	d.cur = d.cur[n:]
	return n, nil
}

// sum returns the authentication code of all the ciphertext, once Read
// returned io.EOF.
func (d *decryptReader) sum() []byte { return d.mac.Sum(nil)[:macLen] }

// close stops the goroutine.
func (d *decryptReader) close() { close(d.stop) }

// sinkWriter records the error of the caller's writer, to tell it from
// errors of the archive.
type sinkWriter struct {
	w   io.Writer
	err error
}

func (s *sinkWriter) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	if err != nil && s.err == nil {
		s.err = err
	}
	return n, err
}

// directory is the location of the central directory.
type directory struct {
	offset int64
	data   []byte
}

func formatErr(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrFormat}, a...)...)
}

// readAt reads exactly n bytes at off, n and off already bounds-checked.
func readAt(r io.ReaderAt, off, n int64) ([]byte, error) {
	b := make([]byte, n)
	m, err := r.ReadAt(b, off)
	if int64(m) == n {
		return b, nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return nil, fmt.Errorf("aeszip: read at %d: %w", off, err)
}

// readEOCD finds the end of central directory record (and its ZIP64 form)
// and reads the central directory.
func readEOCD(r io.ReaderAt, size int64) (directory, uint64, error) {
	if size < eocdLen {
		return directory{}, 0, formatErr("%d bytes is too short", size)
	}
	tailLen := min(size, eocdLen+uint16max)
	tail, err := readAt(r, size-tailLen, tailLen)
	if err != nil {
		return directory{}, 0, err
	}
	i := len(tail) - eocdLen
	for ; i >= 0; i-- {
		if binary.LittleEndian.Uint32(tail[i:]) == sigEOCD &&
			i+eocdLen+int(binary.LittleEndian.Uint16(tail[i+20:])) <= len(tail) {
			break
		}
	}
	if i < 0 {
		return directory{}, 0, formatErr("no end of central directory record")
	}
	eocdPos := size - tailLen + int64(i)
	e := tail[i:]
	disk, cdDisk := binary.LittleEndian.Uint16(e[4:]), binary.LittleEndian.Uint16(e[6:])
	nThis, nTotal := binary.LittleEndian.Uint16(e[8:]), binary.LittleEndian.Uint16(e[10:])
	cdSize := uint64(binary.LittleEndian.Uint32(e[12:]))
	cdOffset := uint64(binary.LittleEndian.Uint32(e[16:]))
	count := uint64(nTotal)
	cdEnd := eocdPos

	var loc []byte
	if eocdPos >= zip64LocatorLen {
		if loc, err = readAt(r, eocdPos-zip64LocatorLen, zip64LocatorLen); err != nil {
			return directory{}, 0, err
		}
	}
	if loc != nil && binary.LittleEndian.Uint32(loc) == sigZip64Locator {
		recPos := binary.LittleEndian.Uint64(loc[8:])
		if binary.LittleEndian.Uint32(loc[4:]) != 0 || binary.LittleEndian.Uint32(loc[16:]) > 1 {
			return directory{}, 0, fmt.Errorf("%w: multi-disk archive", ErrUnsupported)
		}
		if recPos > uint64(eocdPos-zip64LocatorLen) || uint64(eocdPos-zip64LocatorLen)-recPos < zip64EOCDLen {
			return directory{}, 0, formatErr("bad ZIP64 locator")
		}
		rec, err := readAt(r, int64(recPos), zip64EOCDLen)
		if err != nil {
			return directory{}, 0, err
		}
		if binary.LittleEndian.Uint32(rec) != sigZip64EOCD {
			return directory{}, 0, formatErr("bad ZIP64 end of central directory signature")
		}
		if binary.LittleEndian.Uint32(rec[16:]) != 0 || binary.LittleEndian.Uint32(rec[20:]) != 0 {
			return directory{}, 0, fmt.Errorf("%w: multi-disk archive", ErrUnsupported)
		}
		if binary.LittleEndian.Uint64(rec[24:]) != binary.LittleEndian.Uint64(rec[32:]) {
			return directory{}, 0, fmt.Errorf("%w: multi-disk archive", ErrUnsupported)
		}
		count = binary.LittleEndian.Uint64(rec[32:])
		cdSize = binary.LittleEndian.Uint64(rec[40:])
		cdOffset = binary.LittleEndian.Uint64(rec[48:])
		cdEnd = int64(recPos)
	} else {
		if nTotal == uint16max || cdSize == uint32max || cdOffset == uint32max {
			return directory{}, 0, formatErr("ZIP64 locator missing")
		}
		if disk != 0 || cdDisk != 0 || nThis != nTotal {
			return directory{}, 0, fmt.Errorf("%w: multi-disk archive", ErrUnsupported)
		}
	}
	if cdOffset > uint64(cdEnd) || uint64(cdEnd)-cdOffset != cdSize {
		return directory{}, 0, formatErr("central directory at %d+%d does not end at %d", cdOffset, cdSize, cdEnd)
	}
	if count > cdSize/centralLen {
		return directory{}, 0, formatErr("%d entries cannot fit in %d bytes", count, cdSize)
	}
	data, err := readAt(r, int64(cdOffset), int64(cdSize))
	if err != nil {
		return directory{}, 0, err
	}
	return directory{offset: int64(cdOffset), data: data}, count, nil
}

// parseCentral parses count central directory headers from b.
func parseCentral(b []byte, count uint64) ([]*File, error) {
	files := make([]*File, 0, count)
	seen := map[string]bool{}
	for i := uint64(0); i < count; i++ {
		if len(b) < centralLen || binary.LittleEndian.Uint32(b) != sigCentral {
			return nil, formatErr("bad central directory header %d", i)
		}
		flags := binary.LittleEndian.Uint16(b[8:])
		method := binary.LittleEndian.Uint16(b[10:])
		tm, date := binary.LittleEndian.Uint16(b[12:]), binary.LittleEndian.Uint16(b[14:])
		crc := binary.LittleEndian.Uint32(b[16:])
		csize := uint64(binary.LittleEndian.Uint32(b[20:]))
		usize := uint64(binary.LittleEndian.Uint32(b[24:]))
		nameLen := int(binary.LittleEndian.Uint16(b[28:]))
		extraLen := int(binary.LittleEndian.Uint16(b[30:]))
		commentLen := int(binary.LittleEndian.Uint16(b[32:]))
		disk := uint32(binary.LittleEndian.Uint16(b[34:]))
		offset := uint64(binary.LittleEndian.Uint32(b[42:]))
		total := centralLen + nameLen + extraLen + commentLen
		if len(b) < total {
			return nil, formatErr("central directory header %d is truncated", i)
		}
		name := string(b[centralLen : centralLen+nameLen])
		extra := b[centralLen+nameLen : centralLen+nameLen+extraLen]
		b = b[total:]

		f := &File{Name: name, crc: crc, Modified: fromDOSTime(date, tm)}
		var (
			aes    []byte
			needCS = csize == uint32max
			needUS = usize == uint32max
			needOf = offset == uint32max
			needDk = disk == uint16max
		)
		for len(extra) >= 4 {
			id := binary.LittleEndian.Uint16(extra)
			n := int(binary.LittleEndian.Uint16(extra[2:]))
			if len(extra)-4 < n {
				return nil, formatErr("entry %q: extra field overruns", name)
			}
			body := extra[4 : 4+n]
			extra = extra[4+n:]
			switch id {
			case extraZip64:
				take := func(need bool, size int) (uint64, error) {
					if !need {
						return 0, nil
					}
					if len(body) < size {
						return 0, formatErr("entry %q: short ZIP64 field", name)
					}
					var v uint64
					if size == 8 {
						v = binary.LittleEndian.Uint64(body)
					} else {
						v = uint64(binary.LittleEndian.Uint32(body))
					}
					body = body[size:]
					return v, nil
				}
				var err error
				if usize, err = take(needUS, 8); err != nil {
					return nil, err
				}
				if csize, err = take(needCS, 8); err != nil {
					return nil, err
				}
				if offset, err = take(needOf, 8); err != nil {
					return nil, err
				}
				var d uint64
				if d, err = take(needDk, 4); err != nil {
					return nil, err
				}
				disk = uint32(d)
				needCS, needUS, needOf, needDk = false, false, false, false
			case extraUT:
				if len(body) >= 5 && body[0]&1 != 0 {
					f.Modified = time.Unix(int64(int32(binary.LittleEndian.Uint32(body[1:]))), 0).UTC()
				}
			case extraAES:
				aes = body
			}
		}
		if needCS || needUS || needOf || needDk {
			return nil, formatErr("entry %q: ZIP64 field missing", name)
		}
		if strings.HasSuffix(name, "/") && usize == 0 && flags&flagEncrypted == 0 {
			continue // directory entry
		}
		if err := f.setMethod(flags, method, aes); err != nil {
			return nil, err
		}
		if disk != 0 {
			return nil, fmt.Errorf("%w: multi-disk archive", ErrUnsupported)
		}
		if csize > maxSize || usize > maxSize || offset > maxSize {
			return nil, formatErr("entry %q: size or offset too large", name)
		}
		if csize < overhead {
			return nil, formatErr("entry %q: %d bytes cannot hold an AES entry", name, csize)
		}
		if !f.Compressed && csize-overhead != usize {
			return nil, formatErr("entry %q: stored sizes disagree", name)
		}
		if seen[name] {
			return nil, formatErr("entry %q appears twice", name)
		}
		seen[name] = true
		f.Size, f.csize, f.offset = int64(usize), int64(csize), int64(offset)
		files = append(files, f)
	}
	return files, nil
}

// setMethod checks that the entry is WinZip AES-256 and records its inner
// method.
func (f *File) setMethod(flags, method uint16, aes []byte) error {
	if flags&flagEncrypted == 0 || method != methodAES {
		return fmt.Errorf("%w: entry %q is not AES encrypted", ErrUnsupported, f.Name)
	}
	if flags&flagStrongEncrypted != 0 {
		return fmt.Errorf("%w: entry %q uses PKWARE strong encryption", ErrUnsupported, f.Name)
	}
	if len(aes) != 7 || aes[2] != 'A' || aes[3] != 'E' {
		return formatErr("entry %q: bad AES extra field", f.Name)
	}
	f.vendor = binary.LittleEndian.Uint16(aes)
	if f.vendor != aesVendorAE1 && f.vendor != aesVendorAE2 {
		return fmt.Errorf("%w: entry %q: AES vendor version %d", ErrUnsupported, f.Name, f.vendor)
	}
	if aes[4] != aesStrength256 {
		return fmt.Errorf("%w: entry %q: AES strength %d, not AES-256", ErrUnsupported, f.Name, aes[4])
	}
	switch binary.LittleEndian.Uint16(aes[5:]) {
	case methodStore:
	case methodDeflate:
		f.Compressed = true
	default:
		return fmt.Errorf("%w: entry %q: compression method %d", ErrUnsupported, f.Name, binary.LittleEndian.Uint16(aes[5:]))
	}
	return nil
}

// readLocals reads the local header of every entry to find its data, and
// checks that entries lie before the central directory without overlap.
func readLocals(r io.ReaderAt, files []*File, cdOffset int64) error {
	for _, f := range files {
		if f.offset > cdOffset || cdOffset-f.offset < localLen {
			return formatErr("entry %q: local header outside the archive", f.Name)
		}
		h, err := readAt(r, f.offset, localLen)
		if err != nil {
			return err
		}
		if binary.LittleEndian.Uint32(h) != sigLocal {
			return formatErr("entry %q: bad local header signature", f.Name)
		}
		nameLen := int64(binary.LittleEndian.Uint16(h[26:]))
		extraLen := int64(binary.LittleEndian.Uint16(h[28:]))
		f.dataOffset = f.offset + localLen + nameLen + extraLen
		if f.dataOffset > cdOffset || cdOffset-f.dataOffset < f.csize {
			return formatErr("entry %q: data outside the archive", f.Name)
		}
		name, err := readAt(r, f.offset+localLen, nameLen)
		if err != nil {
			return err
		}
		if !bytes.Equal(name, []byte(f.Name)) {
			return formatErr("entry %q: local header names %q", f.Name, name)
		}
	}
	byOffset := slices.SortedFunc(slices.Values(files), func(a, b *File) int { return cmp.Compare(a.offset, b.offset) })
	for i := 1; i < len(byOffset); i++ {
		prev := byOffset[i-1]
		if prev.dataOffset+prev.csize > byOffset[i].offset {
			return formatErr("entries %q and %q overlap", prev.Name, byOffset[i].Name)
		}
	}
	return nil
}
