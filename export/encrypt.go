package export

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"mileo.tech/extract/internal/aeszip"
	"mileo.tech/extract/internal/passgen"
)

// PasswordLength is the length of generated archive passwords (R-ENC-1).
const PasswordLength = 20

// encrypt packs the videos and the manifest of dir into OutDir/archive.zip
// (AES-256, AE-2) under a generated password, then reopens the archive and
// checks every entry's HMAC and SHA-256 against what was written.
func encrypt(ctx context.Context, job Job, dir string, res *Result) error {
	pw, err := passgen.Generate(PasswordLength)
	if err != nil {
		return fmt.Errorf("encrypt: %w", err)
	}
	archive := filepath.Join(job.OutDir, "archive.zip")
	f, err := os.OpenFile(archive, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("encrypt: %w", err)
	}
	defer f.Close()
	zw := aeszip.NewWriter(f, pw)
	names := []string{}
	for _, v := range res.Files {
		names = append(names, v.Name)
	}
	names = append(names, "manifest.json", "manifest.txt")
	var total, done int64
	for _, n := range names {
		if st, err := os.Stat(filepath.Join(dir, n)); err == nil {
			total += st.Size()
		}
	}
	now := time.Now()
	for _, n := range names {
		if err := ctx.Err(); err != nil {
			zw.Close()
			os.Remove(archive)
			return err
		}
		src, err := os.Open(filepath.Join(dir, n))
		if err != nil {
			zw.Close()
			os.Remove(archive)
			return fmt.Errorf("encrypt: %w", err)
		}
		w, err := zw.Create(n, now, filepath.Ext(n) != ".mp4")
		if err == nil {
			_, err = io.Copy(w, &progressReader{r: src, fn: func(k int64) {
				done += k
				progress(job, "", "encrypt", done, total)
			}})
		}
		src.Close()
		if err != nil {
			zw.Close()
			os.Remove(archive)
			return fmt.Errorf("encrypt %s: %w", n, err)
		}
	}
	if err := zw.Close(); err != nil {
		os.Remove(archive)
		return fmt.Errorf("encrypt: %w", err)
	}
	written := map[string]string{}
	for _, e := range zw.Entries() {
		written[e.Name] = hex.EncodeToString(e.SHA256[:])
	}
	// Check the archive as the recipient will open it.
	progress(job, "", "verify-archive", 0, 1)
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("encrypt: %w", err)
	}
	entries, err := aeszip.Verify(ctx, f, st.Size(), pw)
	if err != nil {
		os.Remove(archive)
		return fmt.Errorf("encrypt: the archive does not verify: %w", err)
	}
	if len(entries) != len(names) {
		os.Remove(archive)
		return fmt.Errorf("encrypt: the archive holds %d entries, want %d", len(entries), len(names))
	}
	for _, e := range entries {
		if written[e.Name] != hex.EncodeToString(e.SHA256[:]) {
			os.Remove(archive)
			return fmt.Errorf("encrypt: entry %s reads back with another SHA-256", e.Name)
		}
	}
	for _, v := range res.Files {
		if written[v.Name] != v.SHA256 {
			os.Remove(archive)
			return fmt.Errorf("encrypt: %s changed between verification and encryption", v.Name)
		}
	}
	res.Archive, res.Password = archive, pw
	return nil
}

type progressReader struct {
	r  io.Reader
	fn func(int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.fn(int64(n))
	}
	return n, err
}
