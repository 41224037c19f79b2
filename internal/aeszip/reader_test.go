package aeszip

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"
)

// buildArchive writes files with the Writer in memory.
func buildArchive(t *testing.T, files []testFile) []byte {
	t.Helper()
	m := &memSeeker{}
	zw := NewWriter(m, testPassword)
	for _, f := range files {
		w, err := zw.Create(f.name, testTime, f.compress)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return m.buf
}

func verifyBytes(b []byte, password string) ([]Entry, error) {
	return Verify(context.Background(), bytes.NewReader(b), int64(len(b)), password)
}

// aesExtraAt returns the position of the AES extra field in the central
// directory (the last occurrence).
func aesExtraAt(t *testing.T, b []byte) int {
	i := bytes.LastIndex(b, []byte{0x01, 0x99, 0x07, 0x00, 0x02, 0x00, 'A', 'E', 0x03})
	if i < 0 {
		t.Fatal("no AES extra field")
	}
	return i
}

// AE-1 entries carry a CRC of the clear data, which is checked too.
func TestAE1(t *testing.T) {
	data := []byte("AE-1 stores a CRC-32 of the clear data")
	b := buildArchive(t, []testFile{{name: "a.txt", data: data}})
	b[aesExtraAt(t, b)+4] = aesVendorAE1
	cd := bytes.Index(b, []byte("PK\x01\x02"))
	binary.LittleEndian.PutUint32(b[cd+16:], crc32.ChecksumIEEE(data))
	if _, err := verifyBytes(b, testPassword); err != nil {
		t.Fatalf("AE-1: %v", err)
	}
	binary.LittleEndian.PutUint32(b[cd+16:], crc32.ChecksumIEEE(data)^1)
	if _, err := verifyBytes(b, testPassword); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("AE-1 with a wrong CRC: %v, want ErrCorrupt", err)
	}
}

// R-ENC-1: Verify refuses what is not an intact AES-256 archive.
func TestReaderRejects(t *testing.T) {
	good := buildArchive(t, []testFile{
		{name: "a.mp4", data: randomData(100, 1)},
		{name: "b.txt", data: textData(300), compress: true},
	})
	var plain bytes.Buffer
	zw := zip.NewWriter(&plain)
	w, _ := zw.Create("clear.txt")
	w.Write([]byte("not encrypted"))
	zw.Close()

	patch := func(f func(b []byte)) []byte {
		b := bytes.Clone(good)
		f(b)
		return b
	}
	cd := bytes.Index(good, []byte("PK\x01\x02"))
	cd2 := cd + bytes.Index(good[cd+4:], []byte("PK\x01\x02")) + 4
	for _, tt := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrFormat},
		{"garbage", bytes.Repeat([]byte("garbage!"), 100), ErrFormat},
		{"truncated end", good[:len(good)-1], ErrFormat},
		{"truncated start", good[10:], ErrFormat},
		{"not encrypted", plain.Bytes(), ErrUnsupported},
		{"AES-128", patch(func(b []byte) { b[aesExtraAt(t, b)+8] = 1 }), ErrUnsupported},
		{"bzip2 inside", patch(func(b []byte) { b[aesExtraAt(t, b)+9] = 12 }), ErrUnsupported},
		{"no AES extra", patch(func(b []byte) { b[aesExtraAt(t, b)] = 0x02 }), ErrFormat},
		{"overlapping entries", patch(func(b []byte) { copy(b[cd2+42:], b[cd+42:cd+46]) }), ErrFormat},
		{"local name differs", patch(func(b []byte) { b[localLen] = 'z' }), ErrFormat},
		{"duplicate names", patch(func(b []byte) {
			// Rename b.txt into a.mp4 (same length) in both headers.
			for _, i := range []int{bytes.Index(b, []byte("b.txt")), bytes.LastIndex(b, []byte("b.txt"))} {
				copy(b[i:], "a.mp4")
			}
		}), ErrFormat},
		{"stored size mismatch", patch(func(b []byte) { b[cd+24]++ }), ErrFormat},
		{"deflated size mismatch", patch(func(b []byte) { b[cd2+24]++ }), ErrCorrupt},
		{"multi-disk", patch(func(b []byte) { b[len(b)-eocdLen+4] = 1 }), ErrUnsupported},
		{"ZIP64 locator missing", patch(func(b []byte) {
			binary.LittleEndian.PutUint32(b[len(b)-eocdLen+16:], uint32max)
		}), ErrFormat},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := verifyBytes(tt.data, testPassword); !errors.Is(err, tt.want) {
				t.Errorf("Verify error = %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := verifyBytes(good, testPassword); err != nil {
		t.Fatalf("unpatched archive: %v", err)
	}
}

// A directory entry made by another tool is skipped, not refused.
func TestDirectoryEntrySkipped(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "dossier")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "clip.mp4"), randomData(1000, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	arch := filepath.Join(dir, "d.zip")
	if out, err := run(t, "7z", "a", "-tzip", "-mem=AES256", "-p"+testPassword, arch, src); err != nil {
		t.Fatalf("7z a: %v\n%s", err, out)
	}
	got, err := verifyFile(t, arch, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "dossier/clip.mp4" {
		t.Errorf("entries = %+v", got)
	}
}
