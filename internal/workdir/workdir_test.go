package workdir

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
)

const secret = "VISAGE-EN-CLAIR-0123456789"

func TestRoundTripRandomAccess(t *testing.T) {
	d, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Erase()
	// 3 chunks of age's 64 KiB stream and a bit, with a marker in each.
	data := make([]byte, 3*64*1024+1234)
	if _, err := rand.Read(data); err != nil {
		t.Fatal(err)
	}
	for _, off := range []int{0, 64*1024 - 5, 150000, len(data) - len(secret)} {
		copy(data[off:], secret)
	}
	w, err := d.Create("clip.mp4")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(d.Path(), "clip.mp4.age"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(secret)) || bytes.Contains(raw, data[1000:1100]) {
		t.Fatal("the working file holds clear data")
	}
	ra, size, err := d.OpenReaderAt("clip.mp4")
	if err != nil {
		t.Fatal(err)
	}
	if size != int64(len(data)) {
		t.Fatalf("size %d, want %d", size, len(data))
	}
	tests := []struct{ off, n int }{
		{0, 1}, {0, 64 * 1024}, {64*1024 - 5, 10}, {64 * 1024, 64 * 1024}, {150000, 40000},
		{len(data) - 1, 1}, {len(data) - len(secret), len(secret)},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d+%d", tt.off, tt.n), func(t *testing.T) {
			buf := make([]byte, tt.n)
			n, err := ra.ReadAt(buf, int64(tt.off))
			if err != nil && !(errors.Is(err, io.EOF) && n == tt.n) {
				t.Fatal(err)
			}
			if !bytes.Equal(buf[:n], data[tt.off:tt.off+tt.n]) {
				t.Fatal("wrong bytes")
			}
		})
	}
	// Past the end.
	if _, err := ra.ReadAt(make([]byte, 10), int64(len(data))); !errors.Is(err, io.EOF) {
		t.Fatalf("read past end: %v", err)
	}
	all, err := io.ReadAll(io.NewSectionReader(ra, 0, size))
	if err != nil || !bytes.Equal(all, data) {
		t.Fatalf("sequential read differs: %v", err)
	}
}

// R-PRG-3: working files the program controls are purged by crypto-erase.
func TestEraseIsCryptoErase(t *testing.T) {
	d, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a.mp4", "b.json"} {
		w, err := d.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, secret)
		w.Close()
	}
	stolen, err := os.ReadFile(filepath.Join(d.Path(), "a.mp4.age"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.OpenReaderAt("a.mp4"); err != nil { // left open on purpose
		t.Fatal(err)
	}
	if err := d.Erase(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.Erased(), ","); got != "a.mp4,b.json" {
		t.Fatalf("erased %q", got)
	}
	if _, err := os.Lstat(d.Path()); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("folder still there: %v", err)
	}
	if _, err := d.Create("c"); !errors.Is(err, ErrErased) {
		t.Fatalf("create after erase: %v", err)
	}
	if _, _, err := d.OpenReaderAt("a.mp4"); !errors.Is(err, ErrErased) {
		t.Fatalf("open after erase: %v", err)
	}
	if err := d.Erase(); err != nil {
		t.Fatalf("second erase: %v", err)
	}
	// A copy of the ciphertext taken before the erase is useless without the
	// key, which only lived in memory.
	other, _ := age.GenerateX25519Identity()
	if _, err := age.Decrypt(bytes.NewReader(stolen), other); err == nil {
		t.Fatal("ciphertext decrypted without the job's key")
	}
}

func TestNames(t *testing.T) {
	d, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Erase()
	for _, n := range []string{"", ".", "..", "../x", "a/b", `a\b`, ".lock", ".hidden"} {
		if _, err := d.Create(n); !errors.Is(err, ErrName) {
			t.Errorf("Create(%q) = %v, want ErrName", n, err)
		}
		if _, _, err := d.OpenReaderAt(n); !errors.Is(err, ErrName) {
			t.Errorf("OpenReaderAt(%q) = %v, want ErrName", n, err)
		}
	}
	if _, _, err := d.OpenReaderAt("missing"); err == nil {
		t.Error("opening a missing file succeeded")
	}
}

const crashEnv = "WORKDIR_TEST_CRASH_PARENT"

// TestMain lets a test re-execute the binary as a job that crashes.
func TestMain(m *testing.M) {
	if parent := os.Getenv(crashEnv); parent != "" {
		d, err := New(parent)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		w, _ := d.Create("frame.raw")
		io.WriteString(w, secret)
		w.Close()
		fmt.Println(d.Path())
		os.Exit(0) // crash: no Erase
	}
	os.Exit(m.Run())
}

// R-PRG-1, R-PRG-3: leftovers of crashed jobs are erased at start-up; the
// folder of a running job is not touched.
func TestSweepCrashedJobs(t *testing.T) {
	parent := t.TempDir()
	live, err := New(parent)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Erase()
	var crashed []string
	for i := 0; i < 2; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashEnv+"="+parent)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("crashing job: %v", err)
		}
		crashed = append(crashed, strings.TrimSpace(string(out)))
	}
	// A half-created folder without its lock is a leftover too.
	half := filepath.Join(parent, Prefix+"half")
	if err := os.Mkdir(half, 0o700); err != nil {
		t.Fatal(err)
	}
	crashed = append(crashed, half)
	// Not ours: left alone.
	other := filepath.Join(parent, "keep-me")
	os.Mkdir(other, 0o700)

	got, err := Sweep(parent)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(crashed) {
		t.Fatalf("swept %v, want %v", got, crashed)
	}
	for _, p := range crashed {
		if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s not swept", p)
		}
	}
	if _, err := os.Stat(live.Path()); err != nil {
		t.Fatalf("live job's folder was swept: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Fatalf("foreign folder removed: %v", err)
	}
	if got, err := Sweep(filepath.Join(parent, "none")); err != nil || got != nil {
		t.Fatalf("sweep of a missing parent: %v %v", got, err)
	}
}
