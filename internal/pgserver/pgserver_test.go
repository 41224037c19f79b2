package pgserver

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"testing"
)

// The server starts on a socket, the roles exist, a database is created
// for the owner, and the server is gone after Stop.
func TestStartStop(t *testing.T) {
	ctx := context.Background()
	s, err := Start(ctx, Options{})
	if errors.Is(err, ErrNotInstalled) && os.Getenv("CI") == "" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{d.OwnerURL, d.AppURL} {
		db, err := sql.Open("pgx", u)
		if err != nil {
			t.Fatal(err)
		}
		var who string
		if err := db.QueryRowContext(ctx, `SELECT current_user`).Scan(&who); err != nil {
			t.Fatal(u, err)
		}
		db.Close()
	}
	dir := s.dir
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("%s left behind", dir)
	}
}
