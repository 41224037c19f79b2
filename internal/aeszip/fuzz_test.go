package aeszip

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// fuzzSeeds are the archives the fuzz corpus starts from: ours (plain and
// ZIP64, fixed salts) and 7-Zip's, all under testPassword so mutations get
// past the password verifier.
func fuzzSeeds(t testing.TB) map[string][]byte {
	seeds := map[string][]byte{}
	for name, path := range map[string]string{
		"writer":  filepath.Join("testdata", "golden", "writer.zip"),
		"7z":      filepath.Join("testdata", "7z-aes256.zip"),
		"zip64":   filepath.Join("testdata", "zip64.zip"),
		"deflate": filepath.Join("testdata", "deflate.zip"),
	} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		seeds[name] = b
	}
	return seeds
}

// R-ENC-1: small ZIP64 and deflate archives with fixed salts for the fuzz
// seeds (rewrite with -update).
func TestSeedArchives(t *testing.T) {
	build := func(name string, files []testFile) {
		m := &memSeeker{}
		zw := NewWriter(m, testPassword)
		zw.rand = &fixedRand{n: 100}
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
		path := filepath.Join("testdata", name)
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
			t.Errorf("%s differs (run with -update if intended)", path)
		}
		got, err := Verify(context.Background(), bytes.NewReader(want), int64(len(want)), testPassword)
		if err != nil {
			t.Fatal(err)
		}
		checkEntries(t, got, files)
	}
	build("deflate.zip", []testFile{{name: "m.txt", data: textData(200), compress: true}})

	setThresholds(t, 40, 2)
	build("zip64.zip", []testFile{
		{name: "a", data: []byte("short")},
		{name: "b", data: randomData(30, 3)},
		{name: "c", data: textData(100), compress: true},
	})
}

// Corpus files in testdata/fuzz are written from the seeds with -update.
func TestFuzzCorpus(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite testdata/fuzz")
	}
	for _, fuzz := range []string{"FuzzVerify", "FuzzReadDirectory"} {
		dir := filepath.Join("testdata", "fuzz", fuzz)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range fuzzSeeds(t) {
			for variant, data := range map[string][]byte{
				name:              b,
				name + "-trunc":   b[:len(b)-7],
				name + "-halfcut": b[len(b)/2:],
			} {
				s := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
				if err := os.WriteFile(filepath.Join(dir, variant), []byte(s), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// Verify must not panic and must not accept garbage on hostile input.
func FuzzVerify(f *testing.F) {
	for _, b := range fuzzSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := Verify(context.Background(), bytes.NewReader(data), int64(len(data)), testPassword)
		if err != nil {
			return
		}
		total := int64(0)
		for _, e := range entries {
			if e.Size < 0 {
				t.Fatalf("negative size %d", e.Size)
			}
			total += e.Size
		}
		// Clear data comes from at most len(data) bytes of ciphertext,
		// inflated at most 1032 times.
		if total > int64(len(data))*1032 {
			t.Fatalf("%d clear bytes from %d bytes", total, len(data))
		}
	})
}

// NewReader must not panic and must only return entries inside the file.
func FuzzReadDirectory(f *testing.F) {
	for _, b := range fuzzSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		z, err := NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		names := map[string]bool{}
		for _, file := range z.Files {
			if file.dataOffset < 0 || file.csize < overhead || file.dataOffset+file.csize > int64(len(data)) {
				t.Fatalf("%q: data at %d+%d outside %d bytes", file.Name, file.dataOffset, file.csize, len(data))
			}
			if names[file.Name] {
				t.Fatalf("duplicate %q", file.Name)
			}
			names[file.Name] = true
		}
	})
}
