package register

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Paris everywhere

	_ "modernc.org/sqlite" // driver "sqlite"
)

// DBName is the file name of the register database inside the data folder.
const DBName = "register.db"

//go:embed migrations/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// The folders of the migrations of each store: the same version numbers,
// the same tables and columns (TestMigrationsMatch).
const (
	sqliteMigrations = "migrations"
	pgMigrations     = "migrations/postgres"
)

var timeNow = time.Now

// Options configure a [Store].
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Location is the local time zone (case numbers take the local year);
	// nil means Europe/Paris.
	Location *time.Location
	// Software is the version string recorded in the register and printed
	// on documents.
	Software string
	// WitnessDir is a folder outside the data folder (another disk, a
	// network share, the DPO's office) where every checkpoint is also
	// written: a witness of the register's head that survives the
	// truncation of the newest entries in the data folder (R-REG-2 rev.).
	// Verify reads it too.
	WitnessDir string
	// ReadOnly opens an existing register for reading and verifying only:
	// no migration, no write, the database file opened read-only, so that
	// `register verify` never changes what it checks.
	ReadOnly bool
	// URL, a postgres:// URL, puts the register on a PostgreSQL server
	// shared by several workstations (docs/shared-register.md); the data
	// folder keeps this workstation's site key and checkpoint files. Empty
	// means the SQLite file in the data folder.
	URL string
	// Workstation names this computer in the entries of the copies it
	// makes (they are purged where they are); empty means its host name.
	Workstation string
}

// Store is the extraction register of one installation: a SQLite database
// and the site key in a data folder, or a database on a PostgreSQL server
// shared by several workstations ([Options].URL). It is safe for
// concurrent use, also by several processes on the same folder or server.
type Store struct {
	dir  string
	db   *sql.DB // writes: every transaction is BEGIN IMMEDIATE (PostgreSQL: takes the append lock)
	rdb  *sql.DB // reads: deferred transactions, query_only (PostgreSQL: read-only)
	pg   bool    // on a PostgreSQL server
	url  string  // its URL
	now  func() time.Time
	loc  *time.Location
	soft string

	mu   sync.Mutex
	site *siteKey // nil until Init

	readOnly bool   // opened by Options.ReadOnly: db is the read-only pool too
	witness  string // Options.WitnessDir
	host     string // Options.Workstation
}

// Workstation is the name of this computer ([Options].Workstation, else
// its host name), recorded with the copies it makes.
func (s *Store) Workstation() string {
	if s.host != "" {
		return s.host
	}
	h, _ := os.Hostname()
	return h
}

// dsn puts the pragmas in the data source name so that every pooled
// connection gets them.
func dsn(path string, extra string) string {
	// secure_delete: the bytes of erased personal data are overwritten,
	// not left in free pages (R-REG-4, R-RET-1).
	return path + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)&_pragma=journal_mode(wal)&_pragma=synchronous(full)&_pragma=secure_delete(1)" + extra
}

// Open opens (creating if needed) the register in dir and applies pending
// migrations.
func Open(ctx context.Context, dir string, opt Options) (*Store, error) {
	if dir == "" {
		return nil, errorf(ErrInvalid, "err.register.no_data_folder")
	}
	if opt.URL != "" {
		return openPostgres(ctx, dir, opt)
	}
	path := filepath.Join(dir, DBName)
	if strings.ContainsAny(path, "?#") {
		return nil, errorf(ErrInvalid, "err.register.data_folder_path", "Dir", dir)
	}
	if opt.ReadOnly {
		return openReadOnly(ctx, dir, path, opt)
	}
	if err := mkdirData(dir); err != nil {
		return nil, err
	}
	// Created 0600 before SQLite opens it (SQLite would create it 0644);
	// its -wal and -shm files take the database's mode (issue #15).
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open register: %w", err)
	}
	f.Close()
	db, err := sql.Open("sqlite", dsn(path, "&_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("open register: %w", err)
	}
	rdb, err := sql.Open("sqlite", dsn(path, "&_pragma=query_only(1)"))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open register: %w", err)
	}
	s := &Store{dir: dir, db: db, rdb: rdb, now: opt.Now, loc: opt.Location, soft: opt.Software, witness: opt.WitnessDir, host: opt.Workstation}
	if s.now == nil {
		s.now = time.Now
	}
	if s.loc == nil {
		s.loc = paris()
	}
	if s.soft == "" {
		s.soft = "dev"
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.loadSite(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func mkdirData(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	return nil
}

func paris() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.UTC
	}
	return loc
}

// Close closes the database.
func (s *Store) Close() error {
	if s.readOnly || s.db == nil {
		return s.rdb.Close()
	}
	return errors.Join(s.db.Close(), s.rdb.Close())
}

// Dir is the data folder.
func (s *Store) Dir() string { return s.dir }

// Location is the local time zone used for case numbers and documents.
func (s *Store) Location() *time.Location { return s.loc }

// Now returns the store's clock reading.
func (s *Store) Now() time.Time { return s.now() }

type migration struct {
	version int
	name    string
	sql     string
}

func migrations(dir string) ([]migration, error) {
	ents, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		n := e.Name()
		num, _, ok := strings.Cut(n, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(n, ".sql") {
			return nil, fmt.Errorf("migration %q: name must be NNNN_name.sql", n)
		}
		b, err := migrationFS.ReadFile(dir + "/" + n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: n, sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %q: versions must be 1, 2, 3…", m.name)
		}
	}
	return out, nil
}

// migrate applies each pending migration in its own transaction. Two
// processes opening a new register at once are serialized by BEGIN
// IMMEDIATE; the second one sees the version already applied.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations(sqliteMigrations)
	if err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL) STRICT`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range ms {
		if err := s.apply(ctx, m); err != nil {
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
	}
	return nil
}

func (s *Store) apply(ctx context.Context, m migration) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.applyTx(ctx, tx, m); err != nil {
		return err
	}
	return tx.Commit()
}

// applyTx applies m in tx unless it was.
func (s *Store) applyTx(ctx context.Context, tx *sql.Tx, m migration) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)`,
		m.version, m.name, FormatTime(s.now())); err != nil {
		return err
	}
	return nil
}

// timeLayout is fixed-width so that stored times sort as text.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func FormatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func ParseTime(s string) (time.Time, error) {
	if t, ok := parseTimeFast(s); ok {
		return t, nil
	}
	return time.Parse(timeLayout, s)
}

// parseTimeFast parses the fixed-width layout of every stored time
// without the generic layout interpreter; it accepts exactly what
// time.Parse(timeLayout, s) accepts (FuzzParseTime) and leaves anything
// doubtful to it.
func parseTimeFast(s string) (time.Time, bool) {
	if len(s) != len(timeLayout) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
		s[16] != ':' || s[19] != '.' || s[29] != 'Z' {
		return time.Time{}, false
	}
	num := func(from, to int) int {
		n := 0
		for _, c := range []byte(s[from:to]) {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, mo, d := num(0, 4), num(5, 7), num(8, 10)
	h, mi, sec, ns := num(11, 13), num(14, 16), num(17, 19), num(20, 29)
	if y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 || ns < 0 {
		return time.Time{}, false
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[mo-1]
	if mo == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	if d > days {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, ns, time.UTC), true
}

// Scrub folds the write-ahead log into the database and empties it, so
// that no older copy of a page erased since (personal data at the end of
// retention) stays in the WAL file. The database itself overwrites freed
// bytes (secure_delete).
//
// On PostgreSQL, the server's autovacuum reclaims the erased versions of
// the rows; its administrator schedules VACUUM (docs/shared-register.md).
func (s *Store) Scrub(ctx context.Context) error {
	if s.pg {
		return nil
	}
	if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("register: checkpoint the write-ahead log: %w", err)
	}
	return nil
}

// openReadOnly opens an existing register with a read-only file handle
// (SQLite's mode=ro), for verification.
func openReadOnly(ctx context.Context, dir, path string, opt Options) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, errorf(ErrNotInitialized, "err.store.no_register", "Dir", dir)
	}
	u := &url.URL{Scheme: "file", Path: path}
	rdb, err := sql.Open("sqlite", u.String()+"?mode=ro&_pragma=busy_timeout(5000)&_pragma=query_only(1)")
	if err != nil {
		return nil, fmt.Errorf("open register: %w", err)
	}
	s := &Store{dir: dir, db: rdb, rdb: rdb, now: opt.Now, loc: opt.Location, soft: opt.Software, readOnly: true, witness: opt.WitnessDir, host: opt.Workstation}
	if s.now == nil {
		s.now = time.Now
	}
	if s.loc == nil {
		s.loc = paris()
	}
	ms, err := migrations(sqliteMigrations)
	if err != nil {
		rdb.Close()
		return nil, err
	}
	var applied int
	if err := rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&applied); err != nil || applied != len(ms) {
		rdb.Close()
		return nil, errorf(ErrInvalid, "err.store.old_format", "Dir", dir)
	}
	if err := s.loadSite(); err != nil {
		rdb.Close()
		return nil, err
	}
	return s, nil
}
