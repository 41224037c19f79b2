package export

import (
	"fmt"
	"io"
	"os"

	"filippo.io/age"
)

// spool keeps clips downloaded from a network source in encrypted temporary
// files: the key lives only in memory, so removing the files after the job
// (or losing them in a crash) leaves nothing readable — a crypto-erase.
type spool struct {
	dir   string
	id    *age.X25519Identity
	files []*os.File
}

func newSpool() (*spool, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, fmt.Errorf("spool key: %w", err)
	}
	dir, err := os.MkdirTemp("", "mileo-spool-")
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	return &spool{dir: dir, id: id}, nil
}

// Add stores r encrypted and returns a random-access reader of the clear bytes.
func (s *spool) Add(r io.Reader) (io.ReaderAt, int64, error) {
	f, err := os.CreateTemp(s.dir, "clip-*.age")
	if err != nil {
		return nil, 0, err
	}
	s.files = append(s.files, f)
	w, err := age.Encrypt(f, s.id.Recipient())
	if err != nil {
		return nil, 0, err
	}
	if _, err := io.CopyBuffer(w, r, make([]byte, 1<<20)); err != nil {
		return nil, 0, err
	}
	if err := w.Close(); err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	return age.DecryptReaderAt(f, st.Size(), s.id)
}

// Close forgets the key and removes the files.
func (s *spool) Close() {
	s.id = nil
	for _, f := range s.files {
		f.Close()
	}
	os.RemoveAll(s.dir)
}
