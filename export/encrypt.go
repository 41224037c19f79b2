package export

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"mileo.tech/extract/internal/aeszip"
	"mileo.tech/extract/internal/passgen"
)

// PasswordLength is the length of generated archive passwords (R-ENC-1).
const PasswordLength = 20

// encrypt packs the videos (encrypted working copies) and the manifest
// into OutDir/archive.zip (AES-256, AE-2) under a generated password, then
// reopens the archive and checks every entry's HMAC and SHA-256 against
// what was written. Nothing is written in clear on the way.
func encrypt(ctx context.Context, job Job, fs *files, res *Result) error {
	pw, err := passgen.Generate(PasswordLength)
	if err != nil {
		return fmt.Errorf("encrypt: %w", err)
	}
	// The archive is written and checked under a temporary name, then
	// renamed: an interrupted export leaves no archive.zip (R-EXP-3).
	final := filepath.Join(job.OutDir, "archive.zip")
	archive := final + partSuffix
	f, err := os.OpenFile(archive, os.O_CREATE|os.O_TRUNC|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("encrypt: %w", err)
	}
	defer f.Close()
	zw := aeszip.NewWriter(f, pw)
	type entry struct {
		name string
		size int64
		open func() (io.Reader, func(), error)
	}
	var ents []entry
	var total, done int64
	for _, v := range res.Files {
		ents = append(ents, entry{v.Name, v.Size, func() (io.Reader, func(), error) {
			in, closeIn, err := fs.open(v.Name, false)
			if err != nil {
				return nil, nil, err
			}
			return io.NewSectionReader(in.ReaderAt, 0, in.Size), closeIn, nil
		}})
	}
	for name, b := range map[string][]byte{"manifest.json": res.Manifest.JSON(), "manifest.txt": res.Manifest.Text()} {
		ents = append(ents, entry{name, int64(len(b)), func() (io.Reader, func(), error) { return bytes.NewReader(b), func() {}, nil }})
	}
	sort.SliceStable(ents[len(res.Files):], func(i, j int) bool { return ents[len(res.Files)+i].name < ents[len(res.Files)+j].name })
	for _, e := range ents {
		total += e.size
	}
	fail := func(err error) error {
		zw.Close()
		f.Close()
		os.Remove(archive)
		return err
	}
	now := time.Now()
	for _, e := range ents {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		src, closeSrc, err := e.open()
		if err != nil {
			return fail(fmt.Errorf("encrypt: %w", err))
		}
		w, err := zw.Create(e.name, now, filepath.Ext(e.name) != ".mp4")
		if err == nil {
			_, err = io.CopyBuffer(w, &progressReader{r: src, fn: func(k int64) {
				done += k
				progress(job, "", "encrypt", done, total)
			}}, make([]byte, 1<<20))
		}
		closeSrc()
		if err != nil {
			return fail(fmt.Errorf("encrypt %s: %w", e.name, err))
		}
	}
	names := make([]string, len(ents))
	for i, e := range ents {
		names[i] = e.name
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
		os.Remove(archive)
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
	if err := f.Sync(); err != nil {
		os.Remove(archive)
		return fmt.Errorf("encrypt: %w", err)
	}
	if _, err := os.Lstat(final); err == nil {
		os.Remove(archive)
		return fmt.Errorf("export: %w: %s", ErrOutDirNotEmpty, final)
	}
	if err := os.Rename(archive, final); err != nil {
		os.Remove(archive)
		return fmt.Errorf("encrypt: %w", err)
	}
	res.Archive, res.Password = final, pw
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
