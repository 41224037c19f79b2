package retention

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"mileo.tech/extract/account"
	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/register"
)

// Purge methods. Declared methods are done by a person on a medium;
// program methods are done and verified by the program.
const (
	PurgeOverwrite    = "overwrite"    // declared or program: data overwritten
	PurgeFormat       = "format"       // declared: secure format of a medium
	PurgeDestroy      = "destroy"      // declared: physical destruction
	PurgeCryptoErase  = "crypto-erase" // program: key destroyed, ciphertext removed (NIST SP 800-88 purge)
	PurgeDeleteVerify = "overwrite-delete"
	// PurgeNothingWritten: an export that failed or was cancelled before
	// writing anything; its empty folder was removed (program).
	PurgeNothingWritten = "nothing-written"
)

// PurgeRecord is the purge of a copy.
type PurgeRecord struct {
	Decision
	Method   string
	Standard string // the sanitization standard the method meets (R-PRG-3)
	Declared bool   // declared by the person who did it (media)
	Verified bool   // checked by the program
	Files    int
}

// PurgeData is the data of a copy.purge entry.
type PurgeData struct {
	Copy     string `json:"copy"`
	Method   string `json:"method"`
	Declared bool   `json:"declared,omitempty"`
	Verified bool   `json:"verified,omitempty"`
	Files    int    `json:"files,omitempty"`
	MediaID  string `json:"media_id,omitempty"`
	// Standard is the sanitization standard the method meets (R-PRG-3
	// rev.), set from Method when the purge is recorded.
	Standard string `json:"standard,omitempty"`
}

// Standard names the sanitization standard a purge method meets (R-PRG-3
// rev.): NIST SP 800-88 Rev. 1, which supersedes DoD 5220.22-M's
// overwriting; empty when nothing was written.
func Standard(method string) string {
	switch method {
	case PurgeDeleteVerify, PurgeOverwrite:
		return "NIST SP 800-88 Rev. 1 — Clear (overwrite; DoD 5220.22-M equivalent)"
	case PurgeCryptoErase:
		return "NIST SP 800-88 Rev. 1 — Purge (cryptographic erase)"
	case PurgeFormat:
		return "NIST SP 800-88 Rev. 1 — Clear (secure format)"
	case PurgeDestroy:
		return "NIST SP 800-88 Rev. 1 — Destroy"
	}
	return ""
}

// Declare records the purge of a copy by the person who did it
// (R-PRG-3): overwrite, format or physical destruction of a medium, or of
// an export folder purged by hand.
func (svc *PurgeService) Declare(ctx context.Context, sess *account.Session, copyID, method string) (*Copy, error) {
	switch method {
	case PurgeOverwrite, PurgeFormat, PurgeDestroy:
	default:
		return nil, errorf(register.ErrInvalid, "err.purge.purge_method_overwrite", "Method", method)
	}
	return svc.s.recordPurge(ctx, sess, copyID, PurgeData{Method: method, Declared: true})
}

func (s *Store) recordPurge(ctx context.Context, sess *account.Session, copyID string, d PurgeData) (*Copy, error) {
	d.Copy, d.Standard = copyID, Standard(d.Method)
	err := s.log.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.acc.SignerTx(ctx, tx, sess, register.OpPurge)
		if err != nil {
			return err
		}
		c, err := s.getCopy(ctx, tx, copyID)
		if err != nil {
			return err
		}
		if c.Purge != nil {
			return errorf(register.ErrState, "err.purge.copy_was_already", "Copy", copyID, "Date", c.Purge.At.In(s.log.Location()).Format("02/01/2006 15:04"), "By", c.Purge.By)
		}
		d.MediaID = c.MediaID
		_, err = s.log.AppendTx(ctx, tx, sg, register.Record{Action: "copy.purge", Subject: c.Case, Data: d})
		return err
	})
	if err != nil {
		return nil, err
	}
	if _, err := s.log.WriteCheckpoint(ctx); err != nil {
		return nil, err
	}
	return s.getCopy(ctx, s.log.ReadDB(), copyID)
}

// Workdir records the crypto-erase of a tracked working folder
// (internal/workdir) that its owner has just erased: key destroyed,
// ciphertext removed, absence checked (R-PRG-3).
func (svc *PurgeService) Workdir(ctx context.Context, sess *account.Session, copyID string) (*Copy, error) {
	s := svc.s
	c, err := s.getCopy(ctx, s.log.ReadDB(), copyID)
	if err != nil {
		return nil, err
	}
	if c.Kind != CopyWorkdir {
		return nil, errorf(register.ErrInvalid, "err.purge.copy_working_folder", "Copy", copyID, "Kind", i18n.Key("copy."+string(c.Kind)))
	}
	if _, err := os.Lstat(c.Location); !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("purge %s: %s still exists", copyID, c.Location)
	}
	return s.recordPurge(ctx, sess, copyID, PurgeData{Method: PurgeCryptoErase, Verified: true})
}

// Files purges an export folder the program controls (R-PRG-3): each
// file the export wrote is overwritten with random data, synced and
// removed if unchanged, the folders it leaves empty are removed, and the
// purge is recorded. Overwriting is reliable on magnetic disks only; on
// SSDs and copy-on-write file systems the export should have been
// encrypted (then only ciphertext remains).
func (svc *PurgeService) Files(ctx context.Context, sess *account.Session, copyID string) (*Copy, error) {
	s := svc.s
	if err := s.acc.CheckSession(ctx, sess, register.OpPurge); err != nil {
		return nil, err
	}
	c, err := s.getCopy(ctx, s.log.ReadDB(), copyID)
	if err != nil {
		return nil, err
	}
	if c.Kind != CopyExport {
		return nil, errorf(register.ErrInvalid, "err.purge.copy_declare_purge", "Copy", copyID, "Kind", i18n.Key("copy."+string(c.Kind)))
	}
	if c.Purge != nil {
		return nil, errorf(register.ErrState, "err.purge.copy_was_already2", "Copy", copyID)
	}
	f, err := s.p.Case(ctx, s.log.ReadDB(), c.Case, true)
	if err != nil {
		return nil, err
	}
	written, found := f.Written[copyID]
	if !found {
		// An export of an earlier version, or one that never finished:
		// nothing says which files are the program's.
		return nil, errorf(register.ErrState, "err.purge.untracked_files", "Copy", copyID, "Dir", c.Location)
	}
	n, kept, err := purgeWritten(ctx, c.Location, written)
	if err != nil {
		return nil, fmt.Errorf("purge %s: %w", copyID, err)
	}
	if len(kept) > 0 {
		return nil, errorf(register.ErrState, "err.purge.changed_files", "Copy", copyID, "Files", strings.Join(kept, ", "))
	}
	return s.recordPurge(ctx, sess, copyID, PurgeData{Method: PurgeDeleteVerify, Verified: true, Files: n})
}

// RecordCryptoErase records the crypto-erase of a working folder done by
// internal/workdir (the key was dropped and the files removed).
func (svc *PurgeService) RecordCryptoErase(ctx context.Context, sess *account.Session, copyID string, files int) (*Copy, error) {
	return svc.s.recordPurge(ctx, sess, copyID, PurgeData{Method: PurgeCryptoErase, Verified: true, Files: files})
}

// Within reports whether path is dir or inside it: an export never goes
// into the data folder, whose files a purge must not touch (R-PRG-3).
func Within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// purgeWritten overwrites and removes the files of written that are still
// in dir unchanged (same SHA-256), then removes the folders they leave
// empty, dir included; anything else in dir is never touched. It returns
// how many files it purged and the names of those it kept because they
// changed since the export (a purge is then incomplete: say so).
func purgeWritten(ctx context.Context, dir string, written []Written) (int, []string, error) {
	n := 0
	var kept []string
	dirs := map[string]bool{}
	for _, w := range written {
		if err := ctx.Err(); err != nil {
			return n, kept, err
		}
		if !filepath.IsLocal(filepath.FromSlash(w.Name)) {
			kept = append(kept, w.Name)
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(w.Name))
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue // already gone
		}
		if err != nil {
			return n, kept, err
		}
		if !fi.Mode().IsRegular() {
			kept = append(kept, w.Name)
			continue
		}
		sum, err := fileSHA256(p)
		if err != nil {
			return n, kept, err
		}
		if sum != w.SHA256 {
			kept = append(kept, w.Name)
			continue
		}
		if err := overwriteFile(p); err != nil {
			return n, kept, err
		}
		if err := os.Remove(p); err != nil {
			return n, kept, err
		}
		n++
		for d := filepath.Dir(p); Within(d, dir); d = filepath.Dir(d) {
			dirs[d] = true
			if d == dir {
				break
			}
		}
	}
	// Deepest first; os.Remove refuses a folder that is not empty.
	var ds []string
	for d := range dirs {
		ds = append(ds, d)
	}
	sort.Slice(ds, func(i, j int) bool { return len(ds[i]) > len(ds[j]) })
	for _, d := range ds {
		_ = os.Remove(d)
	}
	return n, kept, nil
}

func fileSHA256(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func overwriteFile(p string) error {
	f, err := os.OpenFile(p, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if _, err := io.CopyN(f, rand.Reader, st.Size()); err != nil {
		return err
	}
	return f.Sync()
}
