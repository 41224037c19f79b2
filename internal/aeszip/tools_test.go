package aeszip

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// toolFiles are entries like an export's: videos stored, a deflated text,
// a sub-folder, a non-ASCII name and an empty file.
func toolFiles() []testFile {
	return []testFile{
		{name: "CAM-01_20240301-1230.mp4", data: randomData(3*bufSize+123, 1)},
		{name: "clips/CAM-02_20240301-1231.mp4", data: randomData(70_000, 2)},
		{name: "manifest.txt", data: textData(20_000), compress: true},
		{name: "réquisition-notes.txt", data: []byte("Réquisition n°42\n"), compress: true},
		{name: "empty.bin"},
	}
}

// checkTree compares the files under dir with files.
func checkTree(t *testing.T, dir string, files []testFile) {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return nil
	})
	if n != len(files) {
		t.Errorf("%d files extracted, want %d", n, len(files))
	}
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.name)))
		if err != nil {
			t.Errorf("read extracted %q: %v", f.name, err)
			continue
		}
		if !bytes.Equal(got, f.data) {
			t.Errorf("%q: extracted content differs", f.name)
		}
	}
}

// sevenZipOK tests the archive with 7z and extracts it with 7z and bsdtar,
// checking the content.
func sevenZipOK(t *testing.T, path, password string, files []testFile) {
	t.Helper()
	if out, err := run(t, "7z", "t", "-p"+password, path); err != nil {
		t.Fatalf("7z t: %v\n%s", err, out)
	}
	dir7 := t.TempDir()
	if out, err := run(t, "7z", "x", "-y", "-p"+password, "-o"+dir7, path); err != nil {
		t.Fatalf("7z x: %v\n%s", err, out)
	}
	checkTree(t, dir7, files)
	dirTar := t.TempDir()
	if out, err := run(t, "bsdtar", "-x", "--passphrase", password, "-f", path, "-C", dirTar); err != nil {
		t.Fatalf("bsdtar -x: %v\n%s", err, out)
	}
	checkTree(t, dirTar, files)
}

// R-ENC-1: archives written by the Writer open with 7-Zip and libarchive
// (bsdtar) and give back identical content.
func TestExternalToolsAccept(t *testing.T) {
	files := toolFiles()
	path, _ := writeZip(t, t.TempDir(), testPassword, files, true)
	sevenZipOK(t, path, testPassword, files)

	out, err := run(t, "7z", "l", "-slt", "-p"+testPassword, path)
	if err != nil {
		t.Fatalf("7z l: %v\n%s", err, out)
	}
	if n := strings.Count(out, "Method = AES-256"); n != len(files) {
		t.Errorf("7z lists %d AES-256 entries, want %d:\n%s", n, len(files), out)
	}
	// The recipient's copy stays private too: entries are rw------- (issue 15).
	if n := strings.Count(out, "-rw-------"); n != len(files) {
		t.Errorf("7z lists %d entries with mode 0600, want %d:\n%s", n, len(files), out)
	}
}

// R-ENC-1: the golden file (fixed salts) is a valid archive too.
func TestSevenZipGolden(t *testing.T) {
	sevenZipOK(t, filepath.Join("testdata", "golden", "writer.zip"), testPassword, goldenFiles())
}

// R-ENC-1: a wrong password is refused by 7z, bsdtar and Verify.
func TestWrongPassword(t *testing.T) {
	files := toolFiles()
	path, _ := writeZip(t, t.TempDir(), testPassword, files, false)
	const wrong = "Kx7!mQ2$vR9%pT4*"
	if out, err := run(t, "7z", "t", "-p"+wrong, path); err == nil {
		t.Errorf("7z t accepted a wrong password:\n%s", out)
	}
	dir := t.TempDir()
	if out, err := run(t, "bsdtar", "-x", "--passphrase", wrong, "-f", path, "-C", dir); err == nil {
		t.Errorf("bsdtar accepted a wrong password:\n%s", out)
	}
	if _, err := verifyFile(t, path, wrong); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("Verify error = %v, want ErrWrongPassword", err)
	}
}

// R-ENC-1: one flipped byte of ciphertext or of the authentication code is
// detected by Verify (ErrCorrupt naming the entry) and by 7z t.
func TestTamper(t *testing.T) {
	files := toolFiles()
	path, _ := writeZip(t, t.TempDir(), testPassword, files, false)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	z, err := NewReader(bytes.NewReader(orig), int64(len(orig)))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		pos  func(f *File) int64
	}{
		{"first ciphertext byte", func(f *File) int64 { return f.dataOffset + saltLen + verifierLen }},
		{"middle ciphertext byte", func(f *File) int64 { return f.dataOffset + f.csize/2 }},
		{"last ciphertext byte", func(f *File) int64 { return f.dataOffset + f.csize - macLen - 1 }},
		{"authentication code", func(f *File) int64 { return f.dataOffset + f.csize - 1 }},
	} {
		for _, i := range []int{0, 2} { // a stored video, a deflated text
			f := z.Files[i]
			t.Run(tt.name+"/"+f.Name, func(t *testing.T) {
				b := bytes.Clone(orig)
				b[tt.pos(f)] ^= 0x01
				p := filepath.Join(t.TempDir(), "tampered.zip")
				if err := os.WriteFile(p, b, 0o644); err != nil {
					t.Fatal(err)
				}
				_, err := verifyFile(t, p, testPassword)
				if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), f.Name) {
					t.Errorf("Verify error = %v, want ErrCorrupt naming %q", err, f.Name)
				}
				if out, err := run(t, "7z", "t", "-p"+testPassword, p); err == nil {
					t.Errorf("7z t accepted a tampered archive:\n%s", out)
				}
			})
		}
	}
}

// R-ENC-1: known answer from an independent implementation: an archive
// made by 7-Zip (testdata/7z-aes256.zip, AES-256, one stored and one
// deflated entry) decrypts to the expected content. The test also makes a
// fresh one with the installed 7z.
func TestRead7z(t *testing.T) {
	want := []testFile{
		{name: "hello.txt", data: []byte("Bonjour, Mileo Extract!\n")},
		{name: "text.txt", data: textData(10_000)},
	}
	got, err := verifyFile(t, filepath.Join("testdata", "7z-aes256.zip"), testPassword)
	if err != nil {
		t.Fatalf("Verify 7z golden: %v", err)
	}
	checkEntries(t, got, want)
	if _, err := verifyFile(t, filepath.Join("testdata", "7z-aes256.zip"), "wrong password!!"); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("wrong password: %v", err)
	}

	for _, level := range []string{"-mx=0", "-mx=5"} {
		dir := t.TempDir()
		src := filepath.Join(dir, "src")
		os.Mkdir(src, 0o755)
		files := []testFile{{name: "video.mp4", data: randomData(2*bufSize+3, 9)}, {name: "notes.txt", data: textData(50_000)}}
		for _, f := range files {
			if err := os.WriteFile(filepath.Join(src, f.name), f.data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		arch := filepath.Join(dir, "7z.zip")
		if out, err := run(t, "7z", "a", "-tzip", "-mem=AES256", level, "-p"+testPassword, arch,
			filepath.Join(src, "video.mp4"), filepath.Join(src, "notes.txt")); err != nil {
			t.Fatalf("7z a: %v\n%s", err, out)
		}
		got, err := verifyFile(t, arch, testPassword)
		if err != nil {
			t.Fatalf("%s: Verify: %v", level, err)
		}
		// 7-Zip orders entries its own way.
		slices.SortFunc(got, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
		slices.SortFunc(files, func(a, b testFile) int { return strings.Compare(a.name, b.name) })
		checkEntries(t, got, files)
	}
}
