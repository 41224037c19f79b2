package register_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"mileo.tech/extract/register"
	"mileo.tech/extract/register/registertest"
)

// The store conformance suite on the SQLite file, the default (R-REG-1,
// R-REG-2, R-REG-4).
func TestConformanceSQLite(t *testing.T) {
	registertest.Run(t, func(t *testing.T) *registertest.Target {
		dir := t.TempDir()
		// The register file exists once the store opened it.
		s, err := register.Open(context.Background(), dir, register.Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		plain := sqliteDB(t, dir)
		return &registertest.Target{
			Dir: dir,
			Tamper: func(t *testing.T, stmt string) {
				db := sqliteDB(t, dir)
				rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'trigger'`)
				if err != nil {
					t.Fatal(err)
				}
				var trs []string
				for rows.Next() {
					var n string
					rows.Scan(&n)
					trs = append(trs, n)
				}
				rows.Close()
				for _, tr := range trs {
					mustExec(t, db, `DROP TRIGGER `+tr)
				}
				mustExec(t, db, stmt)
			},
			Guarded: map[string]*sql.DB{"the file": plain},
		}
	})
}

// The same suite on a PostgreSQL server: the application's role is refused
// every change by its grants and by the triggers, the owner by the
// triggers (R-REG-1, R-REG-2, R-REG-4).
func TestConformancePostgres(t *testing.T) {
	registertest.Run(t, func(t *testing.T) *registertest.Target {
		d := register.PGDatabase(t)
		return &registertest.Target{
			Dir: t.TempDir(),
			URL: d.AppURL,
			Tamper: func(t *testing.T, stmt string) {
				db := pgDB(t, d.OwnerURL)
				tx, err := db.Begin()
				if err != nil {
					t.Fatal(err)
				}
				defer tx.Rollback()
				for _, tb := range []string{"entries", "personal", "attachments", "checkpoints"} {
					if _, err := tx.Exec(`ALTER TABLE ` + tb + ` DISABLE TRIGGER USER`); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := tx.Exec(stmt); err != nil {
					t.Fatalf("%s: %v", stmt, err)
				}
				for _, tb := range []string{"entries", "personal", "attachments", "checkpoints"} {
					if _, err := tx.Exec(`ALTER TABLE ` + tb + ` ENABLE TRIGGER USER`); err != nil {
						t.Fatal(err)
					}
				}
				if err := tx.Commit(); err != nil {
					t.Fatal(err)
				}
			},
			Guarded: map[string]*sql.DB{"the application role": pgDB(t, d.AppURL), "the owner": pgDB(t, d.OwnerURL)},
		}
	})
}

func sqliteDB(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, register.DBName))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func pgDB(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustExec(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
