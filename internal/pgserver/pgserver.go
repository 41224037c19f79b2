package pgserver

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
)

// ErrNotInstalled: initdb or pg_ctl is missing (make deps-test installs
// them).
var ErrNotInstalled = errors.New("pgserver: PostgreSQL server binaries not installed (make deps-test)")

// Roles every server has.
const (
	Owner  = "mileo_owner"
	Writer = "mileo_writer"
	App    = "mileo_app"
)

// Options configure [Start].
type Options struct {
	// Durable keeps fsync and synchronous commits on, as a real server:
	// for benchmarks. Tests leave it off.
	Durable bool
}

// Server is a running PostgreSQL server.
type Server struct {
	dir    string // owned by the server's user
	socket string // the socket's folder
	bin    string
	run    []string // prefix that runs a command as the server's user
	mu     sync.Mutex
	n      int
	admin  *sql.DB
}

// BinDir finds the folder of initdb and pg_ctl: $PG_BINDIR, the newest
// /usr/lib/postgresql/*/bin (Debian), else $PATH.
func BinDir() (string, error) {
	if d := os.Getenv("PG_BINDIR"); d != "" {
		return d, nil
	}
	ds, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(ds, func(i, j int) bool { return version(ds[i]) > version(ds[j]) })
	for _, d := range ds {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", ErrNotInstalled
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// Start creates a cluster in a new temporary folder and starts it.
func Start(ctx context.Context, opt Options) (*Server, error) {
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "mileo-pg-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, socket: dir, bin: bin}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("pgserver: running as root needs the postgres system user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		s.run = []string{"runuser", "-u", "postgres", "--"}
	}
	data := filepath.Join(dir, "data")
	if out, err := s.cmd(ctx, "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pgserver: initdb: %w\n%s", err, out)
	}
	conf := "listen_addresses = ''\nunix_socket_directories = '" + s.socket + "'\nmax_connections = 200\n"
	if !opt.Durable {
		conf += "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
	}
	if err := appendFile(filepath.Join(data, "postgresql.conf"), conf); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if out, err := s.cmd(ctx, "pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pgserver: pg_ctl start: %w\n%s\n%s", err, out, log)
	}
	s.admin, err = sql.Open("pgx", s.URL("postgres", "postgres"))
	if err == nil {
		_, err = s.admin.ExecContext(ctx, `CREATE ROLE `+Owner+` LOGIN; CREATE ROLE `+Writer+` NOLOGIN;
			CREATE ROLE `+App+` LOGIN IN ROLE `+Writer)
	}
	if err != nil {
		s.Stop()
		return nil, fmt.Errorf("pgserver: create roles: %w", err)
	}
	return s, nil
}

func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(text)
	return errors.Join(err, f.Close())
}

func (s *Server) cmd(ctx context.Context, tool string, args ...string) *exec.Cmd {
	argv := append(append(append([]string{}, s.run...), filepath.Join(s.bin, tool)), args...)
	c := exec.CommandContext(ctx, argv[0], argv[1:]...)
	c.Dir = s.dir
	c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return c
}

// URL is the connection string of db as user, through the socket.
func (s *Server) URL(db, user string) string {
	q := url.Values{"host": {s.socket}}
	return (&url.URL{Scheme: "postgres", User: url.User(user), Path: "/" + db, RawQuery: q.Encode()}).String()
}

// Database is an empty database on the server.
type Database struct {
	Name     string
	OwnerURL string // as mileo_owner: migrations, tampering in tests
	AppURL   string // as mileo_app, member of mileo_writer
}

// NewDatabase creates an empty database owned by mileo_owner.
func (s *Server) NewDatabase(ctx context.Context) (*Database, error) {
	s.mu.Lock()
	s.n++
	name := fmt.Sprintf("register_%d", s.n)
	s.mu.Unlock()
	if _, err := s.admin.ExecContext(ctx, `CREATE DATABASE `+name+` OWNER `+Owner); err != nil {
		return nil, fmt.Errorf("pgserver: %w", err)
	}
	// As on Debian since PostgreSQL 15, only the owner creates in public.
	return &Database{Name: name, OwnerURL: s.URL(name, Owner), AppURL: s.URL(name, App)}, nil
}

// Admin is a connection pool as the superuser.
func (s *Server) Admin() *sql.DB { return s.admin }

// Stop stops the server and removes its folder.
func (s *Server) Stop() error {
	if s.admin != nil {
		s.admin.Close()
	}
	out, err := s.cmd(context.Background(), "pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w", "stop").CombinedOutput()
	if err != nil {
		err = fmt.Errorf("pgserver: pg_ctl stop: %w\n%s", err, strings.TrimSpace(string(out)))
	}
	return errors.Join(err, os.RemoveAll(s.dir))
}

// Pause stops the server without removing it, to test an unreachable
// register; Resume starts it again.
func (s *Server) Pause() error {
	out, err := s.cmd(context.Background(), "pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "fast", "-w", "stop").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pgserver: pg_ctl stop: %w\n%s", err, out)
	}
	return nil
}

// Resume starts a paused server.
func (s *Server) Resume() error {
	out, err := s.cmd(context.Background(), "pg_ctl", "-D", filepath.Join(s.dir, "data"), "-l", filepath.Join(s.dir, "log"), "-w", "-t", "60", "start").CombinedOutput()
	if err != nil {
		return fmt.Errorf("pgserver: pg_ctl start: %w\n%s", err, out)
	}
	return nil
}
