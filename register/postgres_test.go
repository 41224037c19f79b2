package register

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/internal/pgserver"
)

// Both stores have the same migrations: the same version numbers, the same
// tables with the same columns, types and NOT NULL.
func TestMigrationsMatch(t *testing.T) {
	lite, err := migrations(sqliteMigrations)
	if err != nil {
		t.Fatal(err)
	}
	pgm, err := migrations(pgMigrations)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) != len(pgm) {
		t.Fatalf("%d SQLite migrations, %d PostgreSQL ones", len(lite), len(pgm))
	}
	for i := range lite {
		if lite[i].name != pgm[i].name {
			t.Errorf("migration %d: %s on SQLite, %s on PostgreSQL", i+1, lite[i].name, pgm[i].name)
		}
	}
	ctx := context.Background()
	s := openStore(t, t.TempDir(), &clock{t: t0})
	d := PGDatabase(t)
	db, err := sql.Open("pgx", d.OwnerURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	schema := func(db *sql.DB, q string) map[string][]string {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string][]string{}
		for rows.Next() {
			var table, col, typ string
			var notNull bool
			if err := rows.Scan(&table, &col, &typ, &notNull); err != nil {
				t.Fatal(err)
			}
			typ = map[string]string{"INTEGER": "int", "BLOB": "bytes", "TEXT": "text", "bigint": "int", "integer": "int", "bytea": "bytes", "text": "text"}[typ]
			out[table] = append(out[table], fmt.Sprintf("%s %s notnull=%v", col, typ, notNull))
		}
		return out
	}
	// A primary key is NOT NULL on PostgreSQL, and on SQLite for its
	// INTEGER PRIMARY KEY and STRICT tables' keys.
	got := schema(s.rdb, `SELECT m.name, c.name, c.type, c."notnull" OR c.pk > 0 FROM sqlite_schema m, pragma_table_info(m.name) c
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, c.cid`)
	want := schema(db, `SELECT table_name, column_name, data_type, is_nullable = 'NO' FROM information_schema.columns
		WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("SQLite schema\n%v\nPostgreSQL schema\n%v", got, want)
	}
}

// Remote servers are reached over verified TLS only; local ones (a unix
// socket, the loopback) may go without.
func TestPGConfig(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"postgres://mileo_app@/register?host=/run/postgresql", true},
		{"postgres://mileo_app@localhost/register", true},
		{"postgres://mileo_app@127.0.0.1:5432/register", true},
		{"postgres://mileo_app@[::1]/register", true},
		{"postgres://mileo_app@db.example.org/register?sslmode=verify-full", true},
		{"postgresql://mileo_app@db.example.org/register?sslmode=verify-full&connect_timeout=5", true},
		{"postgres://mileo_app@db.example.org/register?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem", false},
		{"postgres://mileo_app@db.example.org/register", false},
		{"postgres://mileo_app@db.example.org/register?sslmode=require", false},
		{"postgres://mileo_app@db.example.org/register?sslmode=verify-ca", false},
		{"postgres://mileo_app@10.0.0.5/register?sslmode=prefer", false},
		{"postgres://mileo_app@/register?host=db.example.org", false},
		{"/var/lib/mileo", false},
		{"postgres://%zz", false},
	} {
		_, err := pgConfig(tc.url)
		if (err == nil) != tc.ok {
			t.Errorf("pgConfig(%q): %v, want ok=%v", tc.url, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("pgConfig(%q): %v, want ErrInvalid", tc.url, err)
		}
		if err != nil && strings.Contains(i18n.New("fr").Err(err), "%!") {
			t.Errorf("pgConfig(%q): message %q", tc.url, i18n.New("fr").Err(err))
		}
	}
}

// The application's role cannot create the register: the owner migrates
// first, and the message says so.
func TestAppRoleCannotMigrate(t *testing.T) {
	ctx := context.Background()
	d, err := PGServer(t).NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(ctx, t.TempDir(), Options{URL: d.AppURL})
	var e *Error
	if !errors.As(err, &e) || e.Key != "err.register.pg_migrate_denied" {
		t.Fatalf("open as the application: %v", err)
	}
	// The owner can; then the application opens it.
	s, err := Open(ctx, t.TempDir(), Options{URL: d.OwnerURL})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, t.TempDir(), Options{URL: d.AppURL})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

// A server that goes down: every write and verify fails with
// ErrUnavailable and a French message, nothing is written, nothing falls
// back to a local file; once it is back, the same store appends again
// (R-REG-1).
func TestServerDown(t *testing.T) {
	ctx := context.Background()
	srv, err := pgserver.Start(ctx, pgserver.Options{})
	if errors.Is(err, pgserver.ErrNotInstalled) {
		PGServer(t) // skips or fails as the other tests do
	}
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	d, err := srv.NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if o, err := Open(ctx, t.TempDir(), Options{URL: d.OwnerURL}); err != nil {
		t.Fatal(err)
	} else {
		o.Close()
	}
	f := newFixtureURL(t, d.AppURL)
	if err := Ping(ctx, d.AppURL); err != nil {
		t.Fatalf("ping: %v", err)
	}
	before := f.verify(VerifyOptions{}).Entries
	if err := srv.Pause(); err != nil {
		t.Fatal(err)
	}
	fr := i18n.New("fr")
	for what, err := range map[string]error{
		"append": appendIncident(ctx, f.s, f.op, "server down"),
		"verify": func() error { _, err := f.s.Verify(ctx, VerifyOptions{}); return err }(),
		"ping":   Ping(ctx, d.AppURL),
		"open": func() error {
			_, err := Open(ctx, t.TempDir(), Options{URL: d.AppURL})
			return err
		}(),
	} {
		if !errors.Is(err, ErrUnavailable) {
			t.Fatalf("%s with the server down: %v, want ErrUnavailable", what, err)
		}
		if msg := fr.Err(err); !strings.Contains(msg, "injoignable") || !strings.Contains(msg, "rien n'a été enregistré") {
			t.Fatalf("%s: message %q", what, msg)
		}
	}
	if err := srv.Resume(); err != nil {
		t.Fatal(err)
	}
	if err := appendIncident(ctx, f.s, f.op, "server back"); err != nil {
		t.Fatalf("append once the server is back: %v", err)
	}
	if got := f.verify(VerifyOptions{}).Entries; got != before+1 {
		t.Fatalf("%d entries, want %d: the append while down was kept, or the one after lost", got, before+1)
	}
}
