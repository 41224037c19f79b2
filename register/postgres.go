package register

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"mileo.tech/extract/internal/pgsql"
)

// WriterRole is the PostgreSQL group role the migrations grant the
// application's rights to (docs/shared-register.md): the login roles of
// the workstations are its members.
const WriterRole = "mileo_writer"

// appendLock is the key of the transaction-level advisory lock every
// write transaction takes first on PostgreSQL: the analogue of SQLite's
// BEGIN IMMEDIATE, so that appends from every workstation are serialized
// and the log keeps one chain.
const appendLock int64 = 0x6d696c656f726567 // "mileoreg"

// IsURL reports whether a register location is a PostgreSQL URL rather
// than a folder.
func IsURL(loc string) bool {
	return strings.HasPrefix(loc, "postgres://") || strings.HasPrefix(loc, "postgresql://")
}

// pgConfig parses a postgres:// URL. A server that is not on this machine
// (a unix socket, localhost) must be reached with sslmode=verify-full: the
// register's contents and the credentials cross the network.
func pgConfig(loc string) (*pgx.ConnConfig, error) {
	if !IsURL(loc) {
		return nil, errorf(ErrInvalid, "err.register.pg_url", "Server", loc, "Error", "postgres://…")
	}
	u, err := url.Parse(loc)
	if err != nil {
		return nil, errorf(ErrInvalid, "err.register.pg_url", "Server", "postgres://…", "Error", err.Error())
	}
	host := u.Hostname()
	if h := u.Query().Get("host"); h != "" {
		host = h
	}
	if !localHost(host) && u.Query().Get("sslmode") != "verify-full" {
		return nil, errorf(ErrInvalid, "err.register.pg_tls", "Server", serverName(u))
	}
	cfg, err := pgx.ParseConfig(loc)
	if err != nil {
		return nil, errorf(ErrInvalid, "err.register.pg_url", "Server", serverName(u), "Error", err.Error())
	}
	return cfg, nil
}

func localHost(h string) bool {
	if h == "" || strings.HasPrefix(h, "/") || h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// serverName names a register's server in messages: host and database,
// never a password.
func serverName(u *url.URL) string {
	host := u.Host
	if h := u.Query().Get("host"); h != "" {
		host = h
	}
	return host + u.Path
}

// Server names the register's location in messages: the data folder, or
// the host and database of a PostgreSQL register (no credentials).
func (s *Store) Server() string {
	if s.url == "" {
		return s.dir
	}
	u, err := url.Parse(s.url)
	if err != nil {
		return "postgres"
	}
	return serverName(u)
}

// Shared reports whether the register is on a PostgreSQL server.
func (s *Store) Shared() bool { return s.pg }

// Ping connects to the PostgreSQL register at loc and checks that it can
// be read: the Settings screen's « Tester la connexion ». It returns nil,
// or an [*Error] to show: a bad URL, a remote server without verify-full,
// or an unreachable server ([ErrUnavailable]).
func Ping(ctx context.Context, loc string) error {
	cfg, err := pgConfig(loc)
	if err != nil {
		return err
	}
	db := pgsql.OpenDB(*cfg, 0)
	defer db.Close()
	var one int
	if err := db.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		u, _ := url.Parse(loc)
		return unavailable(serverName(u), err)
	}
	return nil
}

// unavailable is the error of a server that cannot be reached, or that
// dropped the connection: nothing was written.
func unavailable(server string, err error) error {
	e := NewError(ErrUnavailable, "err.register.server_unavailable", "Server", server, "Error", err.Error())
	return &unavailableError{err: e, cause: err}
}

// unavailableError keeps the driver's error for errors.Is/As beside the
// catalogue message.
type unavailableError struct {
	err   *Error
	cause error
}

func (e *unavailableError) Error() string                     { return e.err.Detail }
func (e *unavailableError) Message() (string, map[string]any) { return e.err.Message() }
func (e *unavailableError) Unwrap() []error                   { return []error{e.err, e.cause} }

// connLost tells a connection failure (server down, network cut,
// connection dropped) from an error of the SQL itself.
func connLost(err error) bool {
	if err == nil {
		return false
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &pe):
		// Class 08: connection exception; 57P01..03: the server shuts down.
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P")
	case errors.As(err, &ce), errors.As(err, &ne), errors.Is(err, driver.ErrBadConn):
		return true
	}
	return pgconn.SafeToRetry(err)
}

// pgError turns a connection failure into [ErrUnavailable]; other errors
// are returned as they are.
func (s *Store) pgError(err error) error {
	if s.pg && connLost(err) {
		return unavailable(s.Server(), err)
	}
	return err
}

// openPostgres opens the register on a PostgreSQL server; dir stays the
// workstation's data folder (site key, checkpoint files).
func openPostgres(ctx context.Context, dir string, opt Options) (*Store, error) {
	cfg, err := pgConfig(opt.URL)
	if err != nil {
		return nil, err
	}
	rcfg := cfg.Copy()
	rcfg.RuntimeParams["default_transaction_read_only"] = "on"
	rdb := pgsql.OpenDB(*rcfg, 0)
	s := &Store{dir: dir, rdb: rdb, now: opt.Now, loc: opt.Location, soft: opt.Software, witness: opt.WitnessDir,
		pg: true, url: opt.URL, host: opt.Workstation}
	if s.now == nil {
		s.now = timeNow
	}
	if s.loc == nil {
		s.loc = paris()
	}
	if s.soft == "" {
		s.soft = "dev"
	}
	if err := rdb.PingContext(ctx); err != nil {
		rdb.Close()
		return nil, unavailable(s.Server(), err)
	}
	ms, err := migrations(pgMigrations)
	if err != nil {
		rdb.Close()
		return nil, err
	}
	if opt.ReadOnly {
		s.db, s.readOnly = rdb, true
		if n, err := s.appliedPG(ctx); err != nil || n != len(ms) {
			rdb.Close()
			return nil, errorf(ErrInvalid, "err.store.old_format", "Dir", s.Server())
		}
	} else {
		if err := mkdirData(dir); err != nil {
			rdb.Close()
			return nil, err
		}
		s.db = pgsql.OpenDB(*cfg, appendLock)
		if err := s.migratePG(ctx, ms); err != nil {
			s.Close()
			return nil, err
		}
	}
	if err := s.loadSite(); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.checkSite(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// appliedPG counts the migrations applied to the server's register (0
// for an empty database).
func (s *Store) appliedPG(ctx context.Context) (int, error) {
	var exists bool
	if err := s.rdb.QueryRowContext(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists); err != nil || !exists {
		return 0, s.pgError(err)
	}
	var n int
	err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
	return n, s.pgError(err)
}

// migratePG applies the pending migrations in one write transaction (the
// advisory lock serializes the workstations that open a new register at
// once). An application role cannot: it needs the owner to migrate first.
func (s *Store) migratePG(ctx context.Context, ms []migration) error {
	n, err := s.appliedPG(ctx)
	if err != nil {
		return err
	}
	if n == len(ms) {
		return nil
	}
	if n > len(ms) {
		return errorf(ErrInvalid, "err.store.newer_format", "Dir", s.Server())
	}
	err = s.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)`); err != nil {
			return err
		}
		for _, m := range ms {
			if err := s.applyTx(ctx, tx, m); err != nil {
				return fmt.Errorf("migrate %s: %w", m.name, err)
			}
		}
		return nil
	})
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42501" { // insufficient_privilege
		return errorf(ErrForbidden, "err.register.pg_migrate_denied", "Server", s.Server())
	}
	return err
}
