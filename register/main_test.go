package register

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"

	"mileo.tech/extract/internal/pgserver"
)

// TestMain also runs this test binary as a child process for the tests
// that need several OS processes (see concurrent_test.go), and stops the
// PostgreSQL server the tests started.
func TestMain(m *testing.M) {
	if dir := os.Getenv(appendChildEnv); dir != "" {
		os.Exit(appendChild(dir))
	}
	code := m.Run()
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
	if pg.srv != nil {
		pg.srv.Stop()
	}
	if durablePG.srv != nil {
		durablePG.srv.Stop()
	}
	os.Exit(code)
}

// pg is the PostgreSQL server of this test binary, started by the first
// test that needs it.
var pg struct {
	once sync.Once
	srv  *pgserver.Server
	err  error
}

// PGServer returns the tests' PostgreSQL server; it skips the test when
// PostgreSQL is not installed, unless $CI is set (make deps-test installs
// it).
func PGServer(t testing.TB) *pgserver.Server {
	t.Helper()
	pg.once.Do(func() { pg.srv, pg.err = pgserver.Start(context.Background(), pgserver.Options{}) })
	if errors.Is(pg.err, pgserver.ErrNotInstalled) && os.Getenv("CI") == "" {
		t.Skip(pg.err)
	}
	if pg.err != nil {
		t.Fatal(pg.err)
	}
	return pg.srv
}

// PGDatabase creates an empty database on the tests' server and applies
// the migrations as its owner, as the administrator does once: the
// application then opens it with d.AppURL.
func PGDatabase(t testing.TB) *pgserver.Database {
	t.Helper()
	ctx := context.Background()
	d, err := PGServer(t).NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, t.TempDir(), Options{URL: d.OwnerURL})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	return d
}
