package register

import (
	"context"
	"database/sql"
	"fmt"
)

// copyTables are the tables [Store.CopyTo] copies, in an order the foreign
// keys accept, with their columns.
var copyTables = []struct{ name, cols, order string }{
	{"entries", "seq, time, actor, action, subject, body, prev, hash, sig", "seq"},
	{"personal", "seq, salt, data, until", "seq"},
	{"attachments", "sha256, seq, name, data, until", "seq, sha256"},
	{"checkpoints", "size, hash, time, note", "size"},
	{"users", "name, password, key_kdf, key_box, public_key, created", "name"},
}

// CopyTo copies the whole register, row for row, into dst, an empty
// register (a new PostgreSQL register: `register migrate`), in one
// transaction of dst: it is all there or not at all. It refuses a dst
// that holds anything. The caller verifies both before and after
// (the same bytes give the same chain, head and checkpoints).
func (s *Store) CopyTo(ctx context.Context, dst *Store) (int64, error) {
	src, err := s.rdb.BeginTx(ctx, s.snapshot())
	if err != nil {
		return 0, s.pgError(fmt.Errorf("register: %w", err))
	}
	defer src.Rollback()
	var copied int64
	err = dst.Write(ctx, func(tx *sql.Tx) error {
		for _, t := range copyTables {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t.name).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return errorf(ErrAlreadyInitialized, "err.register.copy_not_empty", "Dir", dst.Server())
			}
		}
		for _, t := range copyTables {
			n, err := copyTable(ctx, src, tx, t.name, t.cols, t.order)
			if err != nil {
				return fmt.Errorf("register: copy %s: %w", t.name, err)
			}
			if t.name == "entries" {
				copied = n
			}
		}
		return nil
	})
	return copied, err
}

func copyTable(ctx context.Context, src, dst *sql.Tx, table, cols, order string) (int64, error) {
	rows, err := src.QueryContext(ctx, `SELECT `+cols+` FROM `+table+` ORDER BY `+order)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	ph := "?"
	for range names[1:] {
		ph += ", ?"
	}
	ins, err := dst.PrepareContext(ctx, `INSERT INTO `+table+` (`+cols+`) VALUES (`+ph+`)`)
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		if _, err := ins.ExecContext(ctx, vals...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}
