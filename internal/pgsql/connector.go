package pgsql

import (
	"context"
	"database/sql"
	"database/sql/driver"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// OpenDB is a database/sql pool on the PostgreSQL server of cfg whose
// queries may use SQLite's ? placeholders ([Rebind]). When lock is not
// zero, every read-write transaction first takes the transaction-level
// advisory lock of that key, so that writers are serialized like SQLite's
// BEGIN IMMEDIATE.
func OpenDB(cfg pgx.ConnConfig, lock int64) *sql.DB {
	return sql.OpenDB(&pgConnector{inner: stdlib.GetConnector(cfg), lock: lock})
}

// pgConnector wraps pgx's database/sql connector: the queries' ?
// placeholders become $n, and the write pool's transactions take the
// append lock first.
type pgConnector struct {
	inner driver.Connector
	lock  int64
}

func (c *pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	cn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgConn{Conn: cn.(*stdlib.Conn), lock: c.lock}, nil
}

func (c *pgConnector) Driver() driver.Driver { return c.inner.Driver() }

type pgConn struct {
	*stdlib.Conn
	lock int64
}

func (c *pgConn) Prepare(q string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(context.Background(), Rebind(q))
}

func (c *pgConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, Rebind(q))
}

func (c *pgConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, Rebind(q), args)
}

func (c *pgConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, Rebind(q), args)
}

func (c *pgConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := c.Conn.BeginTx(ctx, opts)
	if err != nil || c.lock == 0 || opts.ReadOnly {
		return tx, err
	}
	if _, err := c.Conn.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`,
		[]driver.NamedValue{{Ordinal: 1, Value: c.lock}}); err != nil {
		tx.Rollback()
		return nil, err
	}
	return tx, nil
}
