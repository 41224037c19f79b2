package aeszip

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"flag"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

const testPassword = "Kx7!mQ2$vR9%pT4&"

var testTime = time.Date(2024, 3, 1, 12, 30, 44, 0, time.UTC)

// testFile is one entry to write.
type testFile struct {
	name     string
	data     []byte
	compress bool
}

// randomData returns n incompressible bytes, the same for the same seed.
func randomData(n int, seed uint64) []byte {
	r := rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)})
	b := make([]byte, n)
	r.Read(b)
	return b
}

func textData(n int) []byte {
	line := []byte("2024-03-01T12:30:44Z camera=CAM-01 segment=000123 sha256=ab12cd34\n")
	return bytes.Repeat(line, n/len(line)+1)[:n]
}

// writeZip writes files to a new archive in dir and returns its path and
// the writer's entries. readFrom makes the data go through io.Copy (and
// the entry writer's ReadFrom) instead of one Write.
func writeZip(t testing.TB, dir, password string, files []testFile, readFrom bool) (string, []Entry) {
	t.Helper()
	path := filepath.Join(dir, "out.zip")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	zw := NewWriter(out, password)
	for _, f := range files {
		w, err := zw.Create(f.name, testTime, f.compress)
		if err != nil {
			t.Fatalf("Create(%q): %v", f.name, err)
		}
		if readFrom {
			_, err = io.Copy(w, bytes.NewReader(f.data))
		} else {
			_, err = w.Write(f.data)
		}
		if err != nil {
			t.Fatalf("write %q: %v", f.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path, zw.Entries()
}

func verifyFile(t testing.TB, path, password string) ([]Entry, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return Verify(context.Background(), f, st.Size(), password)
}

// checkEntries compares entries with the files written.
func checkEntries(t *testing.T, got []Entry, files []testFile) {
	t.Helper()
	if len(got) != len(files) {
		t.Fatalf("%d entries, want %d", len(got), len(files))
	}
	for i, f := range files {
		want := Entry{Name: f.name, Size: int64(len(f.data)), SHA256: sha256.Sum256(f.data)}
		if got[i] != want {
			t.Errorf("entry %d = %+v, want %+v", i, got[i], want)
		}
	}
}

// R-ENC-1: what the Writer encrypts, Verify decrypts, authenticates and
// hashes to the same SHA-256, for every size around block and buffer
// boundaries, stored and deflated, through Write and through ReadFrom.
func TestRoundTrip(t *testing.T) {
	sizes := []int{0, 1, 15, 16, 17, 1000, bufSize - 1, bufSize, bufSize + 1, 3*bufSize + bufSize/2}
	for _, compress := range []bool{false, true} {
		for _, readFrom := range []bool{false, true} {
			var files []testFile
			for i, n := range sizes {
				data := randomData(n, uint64(i))
				if compress && i%2 == 0 {
					data = textData(n)
				}
				files = append(files, testFile{name: "f" + string(rune('a'+i)) + ".bin", data: data, compress: compress})
			}
			path, written := writeZip(t, t.TempDir(), testPassword, files, readFrom)
			checkEntries(t, written, files)
			got, err := verifyFile(t, path, testPassword)
			if err != nil {
				t.Fatalf("compress=%v readFrom=%v: Verify: %v", compress, readFrom, err)
			}
			checkEntries(t, got, files)
		}
	}
}

func TestEmptyArchive(t *testing.T) {
	path, entries := writeZip(t, t.TempDir(), testPassword, nil, false)
	if len(entries) != 0 {
		t.Fatalf("entries: %v", entries)
	}
	got, err := verifyFile(t, path, testPassword)
	if err != nil || len(got) != 0 {
		t.Fatalf("Verify = %v, %v", got, err)
	}
}

// R-ENC-1: File.Extract gives back the clear content of one entry.
func TestExtract(t *testing.T) {
	files := []testFile{
		{name: "video/clip.mp4", data: randomData(2*bufSize+5, 1)},
		{name: "manifest.json", data: textData(5000), compress: true},
	}
	path, _ := writeZip(t, t.TempDir(), testPassword, files, true)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	z, err := NewReader(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	for _, tf := range files {
		zf := z.File(tf.name)
		if zf == nil {
			t.Fatalf("no entry %q", tf.name)
		}
		if zf.Compressed != tf.compress || zf.Size != int64(len(tf.data)) || !zf.Modified.Equal(testTime) {
			t.Errorf("%q: Compressed=%v Size=%d Modified=%v", tf.name, zf.Compressed, zf.Size, zf.Modified)
		}
		var buf bytes.Buffer
		e, err := zf.Extract(context.Background(), testPassword, &buf)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), tf.data) || e.SHA256 != sha256.Sum256(tf.data) {
			t.Errorf("%q: extracted data differs", tf.name)
		}
	}
	if z.File("nope") != nil {
		t.Error("File(nope) != nil")
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := z.Files[0].Extract(ctx, testPassword, io.Discard); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Extract: %v", err)
	}
}

func TestWriterErrors(t *testing.T) {
	newFile := func() *os.File {
		f, err := os.Create(filepath.Join(t.TempDir(), "x.zip"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}

	if _, err := NewWriter(newFile(), "").Create("a", testTime, false); !errors.Is(err, ErrEmptyPassword) {
		t.Errorf("empty password: %v", err)
	}

	zw := NewWriter(newFile(), testPassword)
	w1, err := zw.Create("a.txt", testTime, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Create("a.txt", testTime, false); !errors.Is(err, ErrDuplicateName) {
		t.Errorf("duplicate: %v", err)
	}
	if _, err := zw.Create("b.txt", testTime, true); err != nil {
		t.Fatal(err)
	}
	if _, err := w1.Write([]byte("late")); !errors.Is(err, ErrClosed) {
		t.Errorf("write to previous entry: %v", err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("second Close: %v", err)
	}
	if _, err := zw.Create("c.txt", testTime, false); !errors.Is(err, ErrClosed) {
		t.Errorf("Create after Close: %v", err)
	}
	if n := len(zw.Entries()); n != 2 {
		t.Errorf("%d entries, want 2", n)
	}
}

// failingWriter fails writing once more than limit bytes went through.
type failingWriter struct {
	*os.File
	limit int64
}

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.limit -= int64(len(p)); f.limit < 0 {
		return 0, errors.New("disk full")
	}
	return f.File.Write(p)
}

func TestWriterOutputError(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "x.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := NewWriter(&failingWriter{File: f, limit: bufSize}, testPassword)
	w, err := zw.Create("big.bin", testTime, false)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.Copy(w, bytes.NewReader(randomData(6*bufSize, 1)))
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("error = %v, want disk full", err)
	}
}

func TestNames(t *testing.T) {
	for _, name := range []string{
		"", "/abs.mp4", "a/../b", "./a", "a//b", "dir/", `a\b`, "a:b", "a*b", "a?b", `a"b`,
		"a<b", "a|b", "a\x00b", "a\nb", "\xff.mp4", strings.Repeat("a", 1<<16),
	} {
		zw := NewWriter(&memSeeker{}, testPassword)
		if _, err := zw.Create(name, testTime, false); !errors.Is(err, ErrInvalidName) {
			t.Errorf("Create(%.20q) error = %v, want ErrInvalidName", name, err)
		}
	}
	for _, name := range []string{"a", "clip 01.mp4", "dossier-2024/caméra_1.mp4", "x.y.z", strings.Repeat("a", 255)} {
		zw := NewWriter(&memSeeker{}, testPassword)
		if _, err := zw.Create(name, testTime, false); err != nil {
			t.Errorf("Create(%q): %v", name, err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// R-ENC-1: non-ASCII names carry the UTF-8 flag (bit 11), ASCII ones not.
func TestUTF8Flag(t *testing.T) {
	m := &memSeeker{}
	zw := NewWriter(m, testPassword)
	for _, name := range []string{"plain.mp4", "caméra.mp4"} {
		if _, err := zw.Create(name, testTime, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	for _, h := range zw.dir {
		want := uint16(flagEncrypted)
		if h.name != "plain.mp4" {
			want |= flagUTF8
		}
		local := binary.LittleEndian.Uint16(m.buf[h.offset+6:])
		if local != want {
			t.Errorf("%q: local flags %#x, want %#x", h.name, local, want)
		}
	}
	cd := m.buf[bytes.Index(m.buf, []byte("PK\x01\x02")):]
	for _, name := range []string{"plain.mp4", "caméra.mp4"} {
		flags := binary.LittleEndian.Uint16(cd[8:])
		if utf8 := flags&flagUTF8 != 0; utf8 != (name == "caméra.mp4") {
			t.Errorf("%q: central flags %#x", name, flags)
		}
		cd = cd[centralLen+int(binary.LittleEndian.Uint16(cd[28:]))+int(binary.LittleEndian.Uint16(cd[30:])):]
	}
}

func TestDOSTime(t *testing.T) {
	for _, tt := range []struct{ in, want time.Time }{
		{testTime, testTime},
		{time.Date(2024, 3, 1, 12, 30, 45, 0, time.UTC), testTime},
		{time.Time{}, time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2107, 12, 31, 23, 59, 58, 0, time.UTC)},
	} {
		if got := fromDOSTime(dosTime(tt.in)); !got.Equal(tt.want) {
			t.Errorf("dosTime(%v) → %v, want %v", tt.in, got, tt.want)
		}
	}
}

// memSeeker is an in-memory io.WriteSeeker.
type memSeeker struct {
	buf []byte
	pos int64
}

func (m *memSeeker) Write(p []byte) (int, error) {
	if end := m.pos + int64(len(p)); end > int64(len(m.buf)) {
		m.buf = append(m.buf, make([]byte, end-int64(len(m.buf)))...)
	}
	copy(m.buf[m.pos:], p)
	m.pos += int64(len(p))
	return len(p), nil
}

func (m *memSeeker) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		off += m.pos
	case io.SeekEnd:
		off += int64(len(m.buf))
	}
	if off < 0 {
		return 0, errors.New("negative position")
	}
	m.pos = off
	return off, nil
}

// A Writer that starts in the middle of its output keeps offsets relative
// to its own start.
func TestWriterAtOffset(t *testing.T) {
	m := &memSeeker{}
	m.Write([]byte("prefix"))
	zw := NewWriter(m, testPassword)
	w, _ := zw.Create("a.txt", testTime, false)
	w.Write([]byte("hello"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	arch := m.buf[len("prefix"):]
	got, err := Verify(context.Background(), bytes.NewReader(arch), int64(len(arch)), testPassword)
	if err != nil {
		t.Fatal(err)
	}
	checkEntries(t, got, []testFile{{name: "a.txt", data: []byte("hello")}})
}

// fixedRand makes salts reproducible for golden files.
type fixedRand struct{ n byte }

func (r *fixedRand) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.n
		r.n++
	}
	return len(p), nil
}

// R-ENC-1: byte-exact output for fixed salts (testdata/golden/writer.zip,
// rewrite with -update); its format is checked by 7z in TestSevenZipGolden.
func TestGolden(t *testing.T) {
	m := &memSeeker{}
	zw := NewWriter(m, testPassword)
	zw.rand = &fixedRand{}
	for _, f := range goldenFiles() {
		w, err := zw.Create(f.name, testTime, f.compress)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "golden", "writer.zip")
	if *update {
		if err := os.WriteFile(path, m.buf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(m.buf, want) {
		t.Errorf("output differs from %s (run with -update if the change is intended)", path)
	}
}

func goldenFiles() []testFile {
	return []testFile{
		{name: "clip-01.mp4", data: randomData(300, 7)},
		{name: "manifest.txt", data: textData(400), compress: true},
		{name: "caméra/empty.bin", data: nil},
	}
}

// needTool skips the test when a real tool is missing.
func needTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not installed", name)
	}
	return p
}

func run(t testing.TB, name string, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command(needTool(t, name), args...).CombinedOutput()
	return string(out), err
}
