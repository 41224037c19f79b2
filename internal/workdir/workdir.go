package workdir

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"filippo.io/age"
)

const (
	// Prefix starts the name of every working folder.
	Prefix = "mileo-work-"
	// markerName is the lock file of a running job.
	markerName = ".lock"
	// ext is the extension of encrypted files.
	ext = ".age"
)

// Sentinel errors.
var (
	// ErrErased is returned by a Dir after Erase.
	ErrErased = errors.New("workdir: erased")
	// ErrName is returned for a file name that is not a plain base name.
	ErrName = errors.New("workdir: invalid file name")
)

// Dir is the working folder of one job.
type Dir struct {
	path string

	mu      sync.Mutex
	id      *age.X25519Identity // nil once erased
	rcpt    *age.X25519Recipient
	lock    *os.File
	readers map[*reader]struct{}
	names   map[string]struct{}
	heads   map[string][]byte // heads of the files of CreateSeekable
	erased  []string
}

// New creates a working folder inside parent (created if needed) with a new
// key held only in memory.
func New(parent string) (*Dir, error) {
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return nil, fmt.Errorf("workdir: %w", err)
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, fmt.Errorf("workdir: generate key: %w", err)
	}
	p, err := os.MkdirTemp(parent, Prefix+"*")
	if err != nil {
		return nil, fmt.Errorf("workdir: %w", err)
	}
	lock, err := os.OpenFile(filepath.Join(p, markerName), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		os.RemoveAll(p)
		return nil, fmt.Errorf("workdir: %w", err)
	}
	if err := lockFile(lock); err != nil {
		lock.Close()
		os.RemoveAll(p)
		return nil, fmt.Errorf("workdir: lock: %w", err)
	}
	fmt.Fprintf(lock, "pid %d\n", os.Getpid())
	return &Dir{path: p, id: id, rcpt: id.Recipient(), lock: lock,
		readers: map[*reader]struct{}{}, names: map[string]struct{}{}, heads: map[string][]byte{}}, nil
}

// Path is the folder. Its files are ciphertext: read them through the Dir.
func (d *Dir) Path() string { return d.path }

func checkName(name string) error {
	if name == "" || name != filepath.Base(name) || name == "." || name == ".." || strings.HasPrefix(name, ".") ||
		strings.ContainsAny(name, `/\`) {
		return fmt.Errorf("%w: %q", ErrName, name)
	}
	return nil
}

func (d *Dir) file(name string) string { return filepath.Join(d.path, name+ext) }

// Create creates (or truncates) the encrypted file name. Close the writer
// to flush the last chunk.
func (d *Dir) Create(name string) (io.WriteCloser, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.id == nil {
		return nil, ErrErased
	}
	f, err := os.OpenFile(d.file(name), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("workdir: %w", err)
	}
	w, err := age.Encrypt(f, d.rcpt)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("workdir: encrypt %s: %w", name, err)
	}
	d.names[name] = struct{}{}
	delete(d.heads, name)
	return &writer{w: w, f: f}, nil
}

type writer struct {
	w      io.WriteCloser
	f      *os.File
	closed bool
}

func (w *writer) Write(p []byte) (int, error) { return w.w.Write(p) }

func (w *writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	err := w.w.Close()
	return errors.Join(err, w.f.Close())
}

// OpenReaderAt opens an encrypted file for random access and returns it with
// its plaintext size. The reader also implements io.Closer; Erase closes
// those still open.
func (d *Dir) OpenReaderAt(name string) (io.ReaderAt, int64, error) {
	if err := checkName(name); err != nil {
		return nil, 0, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.id == nil {
		return nil, 0, ErrErased
	}
	f, err := os.Open(d.file(name))
	if err != nil {
		return nil, 0, fmt.Errorf("workdir: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("workdir: %w", err)
	}
	ra, size, err := age.DecryptReaderAt(f, st.Size(), d.id)
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("workdir: decrypt %s: %w", name, err)
	}
	r := &reader{ra: ra, f: f, d: d}
	if head, ok := d.heads[name]; ok {
		r.head = head
		if size > 0 {
			size += HeadSize
		} else {
			size = int64(len(head))
		}
	}
	d.readers[r] = struct{}{}
	return r, size, nil
}

type reader struct {
	ra   io.ReaderAt
	f    *os.File
	d    *Dir
	head []byte // the first bytes of a CreateSeekable file, kept in memory
}

func (r *reader) ReadAt(p []byte, off int64) (int, error) {
	if r.head == nil {
		return r.ra.ReadAt(p, off)
	}
	n := 0
	if off < int64(len(r.head)) {
		n = copy(p, r.head[off:])
		if n == len(p) {
			return n, nil
		}
		off += int64(n)
	}
	if off < HeadSize {
		return n, io.EOF // a head shorter than HeadSize is the whole file
	}
	k, err := r.ra.ReadAt(p[n:], off-HeadSize)
	return n + k, err
}

func (r *reader) Close() error {
	r.d.mu.Lock()
	delete(r.d.readers, r)
	r.d.mu.Unlock()
	return r.f.Close()
}

// Remove deletes the file name (a working copy no longer needed). Readers
// still open on it keep working until closed.
func (d *Dir) Remove(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.heads, name)
	if err := os.Remove(d.file(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("workdir: %w", err)
	}
	return nil
}

// Erase drops the key, closes open readers, removes every file and the
// folder, and checks that nothing is left. Erased lists what it removed.
func (d *Dir) Erase() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.id == nil {
		return nil
	}
	d.id, d.rcpt = nil, nil // crypto-erase: without the key the files are noise
	clear(d.heads)
	var errs []error
	for r := range d.readers {
		errs = append(errs, r.f.Close())
	}
	clear(d.readers)
	ents, err := os.ReadDir(d.path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, err)
	}
	var erased []string
	for _, e := range ents {
		if e.Name() == markerName {
			continue
		}
		if err := os.RemoveAll(filepath.Join(d.path, e.Name())); err != nil {
			errs = append(errs, err)
			continue
		}
		erased = append(erased, strings.TrimSuffix(e.Name(), ext))
	}
	errs = append(errs, d.lock.Close())
	if err := os.RemoveAll(d.path); err != nil {
		errs = append(errs, err)
	}
	if _, err := os.Lstat(d.path); !errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, fmt.Errorf("workdir: %s still exists after erase", d.path))
	}
	sort.Strings(erased)
	d.erased = erased
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("workdir: erase %s: %w", d.path, err)
	}
	return nil
}

// Erased lists the files removed by Erase (names given to Create).
func (d *Dir) Erased() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.erased...)
}

// Sweep removes the working folders in parent left by crashed jobs (their
// lock is free: the process and its key are gone) and returns their paths.
// Folders of running jobs are left alone.
func Sweep(parent string) ([]string, error) {
	ents, err := os.ReadDir(parent)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("workdir: sweep: %w", err)
	}
	var out []string
	var errs []error
	for _, e := range ents {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), Prefix) {
			continue
		}
		p := filepath.Join(parent, e.Name())
		busy, err := inUse(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if busy {
			continue
		}
		if err := os.RemoveAll(p); err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, p)
	}
	return out, errors.Join(errs...)
}

// inUse reports whether a live process holds the folder's lock.
func inUse(dir string) (bool, error) {
	f, err := os.OpenFile(filepath.Join(dir, markerName), os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil // never locked or half-created: a leftover
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	ok, err := tryLock(f)
	if err != nil {
		return false, err
	}
	if ok {
		unlockFile(f)
	}
	return !ok, nil
}
