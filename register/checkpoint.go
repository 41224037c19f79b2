package register

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// CheckpointDir is the folder of the data folder where every checkpoint is
// also written as a file, outside the database.
const CheckpointDir = "checkpoints"

const checkpointOrigin = "mileo-extract register "

// Checkpoint is a signed statement of the register state: its size (number
// of entries) and the hash of its last entry.
//
// The text of a checkpoint is four lines:
//
//	mileo-extract register <site id>
//	<size>
//	<base64 hash of entry <size>>
//	time <UTC time>
//
// signed as a golang.org/x/mod/sumdb/note by the site key.
type Checkpoint struct {
	Origin string // "mileo-extract register <site id>"
	Size   int64
	Hash   []byte
	Time   time.Time
	Note   []byte // the signed note (text, blank line, signature lines); nil when unsigned
}

// HashHex is the head hash in hex.
func (c *Checkpoint) HashHex() string { return hex.EncodeToString(c.Hash) }

// Text is the unsigned text of the checkpoint.
func (c *Checkpoint) Text() string {
	return fmt.Sprintf("%s\n%d\n%s\ntime %s\n", c.Origin, c.Size,
		base64.StdEncoding.EncodeToString(c.Hash), FormatTime(c.Time))
}

// ParseCheckpoint parses the unsigned text of a checkpoint.
func ParseCheckpoint(text []byte) (*Checkpoint, error) {
	if len(text) > 4096 {
		return nil, fmt.Errorf("%w: too long", ErrCheckpoint)
	}
	s := string(text)
	if !strings.HasSuffix(s, "\n") {
		return nil, fmt.Errorf("%w: text must end with a newline", ErrCheckpoint)
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	if len(lines) != 4 {
		return nil, fmt.Errorf("%w: %d lines, want 4", ErrCheckpoint, len(lines))
	}
	id, ok := strings.CutPrefix(lines[0], checkpointOrigin)
	if !ok || !validSiteID(id) {
		return nil, fmt.Errorf("%w: origin %q", ErrCheckpoint, lines[0])
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 1 || strconv.FormatInt(size, 10) != lines[1] {
		return nil, fmt.Errorf("%w: size %q", ErrCheckpoint, lines[1])
	}
	hash, err := base64.StdEncoding.Strict().DecodeString(lines[2])
	if err != nil || len(hash) != sha256.Size || base64.StdEncoding.EncodeToString(hash) != lines[2] {
		return nil, fmt.Errorf("%w: hash %q", ErrCheckpoint, lines[2])
	}
	ts, ok := strings.CutPrefix(lines[3], "time ")
	if !ok || len(ts) != len(timeLayout) {
		return nil, fmt.Errorf("%w: time line %q", ErrCheckpoint, lines[3])
	}
	t, err := ParseTime(ts)
	if err != nil {
		return nil, fmt.Errorf("%w: time %q", ErrCheckpoint, ts)
	}
	return &Checkpoint{Origin: lines[0], Size: size, Hash: hash, Time: t}, nil
}

func validSiteID(id string) bool {
	if len(id) != 8 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil && strings.ToLower(id) == id
}

// OpenCheckpoint verifies a signed checkpoint note against the site
// verifier key vkey and parses it.
func OpenCheckpoint(msg []byte, vkey string) (*Checkpoint, error) {
	v, err := note.NewVerifier(strings.TrimSpace(vkey))
	if err != nil {
		return nil, fmt.Errorf("%w: verifier key: %v", ErrCheckpoint, err)
	}
	msg, _ = SplitKeyLine(msg)
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCheckpoint, err)
	}
	c, err := ParseCheckpoint([]byte(n.Text))
	if err != nil {
		return nil, err
	}
	if want := checkpointOrigin + strings.TrimPrefix(v.Name(), "mileo-extract-"); c.Origin != want {
		return nil, fmt.Errorf("%w: origin %q does not match key %s", ErrCheckpoint, c.Origin, v.Name())
	}
	c.Note = msg
	return c, nil
}

// ParseCheckpointNote parses a signed checkpoint without verifying its
// signature (to read sizes before the key is known).
func ParseCheckpointNote(msg []byte) (*Checkpoint, error) {
	msg, _ = SplitKeyLine(msg)
	i := bytes.Index(msg, []byte("\n\n"))
	if i < 0 {
		return nil, fmt.Errorf("%w: no signature block", ErrCheckpoint)
	}
	c, err := ParseCheckpoint(msg[:i+1])
	if err != nil {
		return nil, err
	}
	c.Note = msg
	return c, nil
}

// WriteCheckpoint signs a checkpoint of the current register head, stores
// it in the database and in the checkpoints folder, and returns it. An
// empty register has no checkpoint.
func (s *Store) WriteCheckpoint(ctx context.Context) (*Checkpoint, error) {
	k, err := s.siteKey()
	if err != nil {
		return nil, err
	}
	var cp *Checkpoint
	err = s.Write(ctx, func(tx *sql.Tx) error {
		h, err := ReadHead(ctx, tx)
		if err != nil {
			return err
		}
		if h.Seq == 0 {
			return errorf(ErrNotInitialized, "err.register.register_empty")
		}
		var old string
		err = tx.QueryRowContext(ctx, `SELECT note FROM checkpoints WHERE size = ?`, h.Seq).Scan(&old)
		if err == nil {
			cp, err = OpenCheckpoint([]byte(old), k.vkey)
			return err
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		cp = &Checkpoint{Origin: checkpointOrigin + k.id, Size: h.Seq, Hash: h.Hash, Time: s.now().UTC()}
		msg, err := signNote(cp, k)
		if err != nil {
			return fmt.Errorf("sign checkpoint: %w", err)
		}
		cp.Note = msg
		_, err = tx.ExecContext(ctx, `INSERT INTO checkpoints (size, hash, time, note) VALUES (?, ?, ?, ?)`,
			cp.Size, cp.Hash, FormatTime(cp.Time), string(msg))
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := s.exportCheckpoint(cp); err != nil {
		return cp, err
	}
	return cp, nil
}

func checkpointFileName(size int64) string { return fmt.Sprintf("%012d.note", size) }

// exportCheckpoint writes the note to the checkpoints folder (outside the
// database), once per size.
func (s *Store) exportCheckpoint(cp *Checkpoint) error {
	if err := writeCheckpointFile(filepath.Join(s.dir, CheckpointDir), cp); err != nil {
		return err
	}
	if s.witness != "" {
		// Best effort: the step is recorded whether or not the witness
		// folder (maybe a share) is reachable; verify reports the age of
		// the newest witness, which shows a witness that stopped.
		_ = writeCheckpointFile(s.witness, cp)
	}
	return nil
}

// writeCheckpointFile writes cp's note into dir, once.
func writeCheckpointFile(dir string, cp *Checkpoint) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("write checkpoint file: %w", err)
	}
	p := filepath.Join(dir, checkpointFileName(cp.Size))
	if _, err := os.Stat(p); err == nil {
		return nil
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, cp.Note, 0o600); err != nil {
		return fmt.Errorf("write checkpoint file: %w", err)
	}
	return os.Rename(tmp, p)
}

// LatestCheckpoint returns the checkpoint covering the most entries, or nil.
func (s *Store) LatestCheckpoint(ctx context.Context) (*Checkpoint, error) {
	var n string
	err := s.rdb.QueryRowContext(ctx, `SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1`).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read checkpoint: %w", err)
	}
	return ParseCheckpointNote([]byte(n))
}

// storedCheckpoints returns the signed notes of the database and of the
// checkpoints folder, unverified.
func (s *Store) storedCheckpoints(ctx context.Context) ([][]byte, []string, error) {
	var notes [][]byte
	var where []string
	rows, err := s.rdb.QueryContext(ctx, `SELECT size, note FROM checkpoints ORDER BY size`)
	if err != nil {
		return nil, nil, fmt.Errorf("read checkpoints: %w", err)
	}
	for rows.Next() {
		var size int64
		var n string
		if err := rows.Scan(&size, &n); err != nil {
			rows.Close()
			return nil, nil, err
		}
		notes = append(notes, []byte(n))
		where = append(where, fmt.Sprintf("database checkpoint %d", size))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	dirs := []string{filepath.Join(s.dir, CheckpointDir)}
	if s.witness != "" {
		dirs = append(dirs, s.witness)
	}
	for i, d := range dirs {
		files, _ := filepath.Glob(filepath.Join(d, "*.note"))
		sort.Strings(files)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, nil, fmt.Errorf("read checkpoint file: %w", err)
			}
			notes = append(notes, b)
			if i > 0 {
				f = witnessPrefix + f
			}
			where = append(where, f)
		}
	}
	return notes, where, nil
}

// witnessPrefix marks, in a report, a checkpoint kept outside the data
// folder.
const witnessPrefix = "witness "

func signNote(cp *Checkpoint, k *siteKey) ([]byte, error) {
	return note.Sign(&note.Note{Text: cp.Text()}, k.Signer)
}

// KeyLinePrefix starts the line that follows a printed checkpoint with the
// site verifier key.
const KeyLinePrefix = "site-key "

// SplitKeyLine separates a printed checkpoint into the signed note and the
// verifier key printed after it, if any.
func SplitKeyLine(b []byte) ([]byte, string) {
	t := bytes.TrimRight(b, "\n")
	i := bytes.LastIndexByte(t, '\n')
	if i < 0 || !bytes.HasPrefix(t[i+1:], []byte(KeyLinePrefix)) {
		return b, ""
	}
	return t[:i+1], strings.TrimSpace(string(t[i+1+len(KeyLinePrefix):]))
}
