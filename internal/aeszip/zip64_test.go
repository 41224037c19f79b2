package aeszip

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// setThresholds lowers the ZIP64 thresholds for one test.
func setThresholds(t *testing.T, size, entries uint64) {
	t.Helper()
	oldSize, oldEntries := zip64Threshold, zip64Entries
	zip64Threshold, zip64Entries = size, entries
	t.Cleanup(func() { zip64Threshold, zip64Entries = oldSize, oldEntries })
}

// R-ENC-1: the ZIP64 paths (local and central ZIP64 extra fields, ZIP64
// end of central directory and locator), exercised on small archives by
// lowering the thresholds, are accepted by 7z, bsdtar and Verify.
func TestZip64(t *testing.T) {
	files := []testFile{
		{name: "a-empty.bin"},
		{name: "b-small.bin", data: randomData(10, 1)},
		{name: "c-edge.bin", data: randomData(1000-overhead-1, 2)},       // csize 999
		{name: "d-at.bin", data: randomData(1000-overhead, 3)},           // csize 1000
		{name: "e-big.mp4", data: randomData(5000, 4)},                   // both sizes
		{name: "f-text.txt", data: textData(3000), compress: true},       // usize only
		{name: "g-late.bin", data: randomData(100, 5)},                   // offset only
		{name: "h-vidéo.mp4", data: randomData(2*bufSize+17, 6)},         // big
		{name: "i-last.txt", data: []byte("last entry"), compress: true}, // offset only
	}
	for _, tt := range []struct {
		name            string
		size, entries   uint64
		localZip64      []string // entries whose local header has ZIP64 sizes
		wantZip64Record bool
	}{
		{"sizes and offsets", 1000, uint16max, []string{"d-at.bin", "e-big.mp4", "f-text.txt", "h-vidéo.mp4"}, true},
		{"offsets only", 2*bufSize + 100, uint16max, []string{}, true},
		{"entry count only", uint32max, 5, []string{}, true},
		{"entry count at limit", uint32max, uint64(len(files)), []string{}, true},
		{"entry count below limit", uint32max, uint64(len(files)) + 1, []string{}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			setThresholds(t, tt.size, tt.entries)
			path, written := writeZip(t, t.TempDir(), testPassword, files, true)
			checkEntries(t, written, files)
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := bytes.Contains(raw, []byte("PK\x06\x06")) && bytes.Contains(raw, []byte("PK\x06\x07")); got != tt.wantZip64Record {
				t.Errorf("ZIP64 end of central directory present = %v, want %v", got, tt.wantZip64Record)
			}
			z, err := NewReader(bytes.NewReader(raw), int64(len(raw)))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range z.Files {
				local := binary.LittleEndian.Uint32(raw[f.offset+18:]) == uint32max &&
					binary.LittleEndian.Uint16(raw[f.offset+localLen+int64(len(f.Name)):]) == extraZip64
				want := false
				for _, n := range tt.localZip64 {
					want = want || n == f.Name
				}
				if local != want {
					t.Errorf("%q: local ZIP64 = %v, want %v", f.Name, local, want)
				}
			}
			got, err := Verify(context.Background(), bytes.NewReader(raw), int64(len(raw)), testPassword)
			if err != nil {
				t.Fatal(err)
			}
			checkEntries(t, got, files)
			sevenZipOK(t, path, testPassword, files)
		})
	}
}

// zeroReader yields n zero bytes; a cheap "sparse-ish" source.
type zeroReader struct{ n int64 }

func (z *zeroReader) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), z.n)]
	clear(p)
	z.n -= int64(len(p))
	return len(p), nil
}

// R-ENC-1: a real entry above 4 GiB (4.2 GiB of zeros, encrypted so the
// archive is not sparse). Needs about 4.3 GB of disk and a minute or more:
// run with MILEO_BIG=1 go test -run TestBigZip64 ./internal/aeszip/.
func TestBigZip64(t *testing.T) {
	if os.Getenv("MILEO_BIG") != "1" || testing.Short() {
		t.Skip("set MILEO_BIG=1 (and not -short) to write a 4.2 GiB archive")
	}
	const size = 4200 << 20
	path := filepath.Join(t.TempDir(), "big.zip")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	zw := NewWriter(out, testPassword)
	w, err := zw.Create("big.mp4", time.Now(), false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(w, &zeroReader{n: size}); err != nil {
		t.Fatal(err)
	}
	w, _ = zw.Create("after.txt", time.Now(), true)
	w.Write([]byte("after the big one"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	out.Close()

	h := sha256.New()
	io.Copy(h, &zeroReader{n: size})
	var want [32]byte
	h.Sum(want[:0])
	got, err := verifyFile(t, path, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Size != size || got[0].SHA256 != want || got[1].Size != int64(len("after the big one")) {
		t.Errorf("Verify = %+v", got)
	}
	if out, err := run(t, "7z", "t", "-p"+testPassword, path); err != nil {
		t.Errorf("7z t: %v\n%s", err, out)
	}
	dir := t.TempDir()
	if out, err := run(t, "bsdtar", "-x", "--passphrase", testPassword, "-f", path, "-C", dir, "after.txt"); err != nil {
		t.Errorf("bsdtar -x: %v\n%s", err, out)
	}
	if out, err := run(t, "bsdtar", "-t", "-v", "-f", path); err != nil {
		t.Errorf("bsdtar -t: %v\n%s", err, out)
	} else if !bytes.Contains([]byte(out), []byte(strconv.Itoa(size))) {
		t.Errorf("bsdtar does not list size %d:\n%s", size, out)
	}
}
