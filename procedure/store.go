package procedure

import (
	"context"
	"fmt"

	"mileo.tech/extract/register"
)

// Store is the procedure built on the register's signed log.
type Store struct {
	*register.Store
}

func errorf(kind error, format string, a ...any) error {
	return &register.Error{Kind: kind, Msg: fmt.Sprintf(format, a...)}
}

// Open opens the register in dir (see [register.Open]) with the procedure
// on it.
func Open(ctx context.Context, dir string, opt register.Options) (*Store, error) {
	log, err := register.Open(ctx, dir, opt)
	if err != nil {
		return nil, err
	}
	return &Store{Store: log}, nil
}

// Login opens a session (see [register.Store.Login]); overdue purges become
// incidents whenever someone uses the program (R-PRG-2).
func (s *Store) Login(ctx context.Context, name, password string) (*register.Session, error) {
	sess, err := s.Store.Login(ctx, name, password)
	if err != nil {
		return nil, err
	}
	if _, err := s.CheckOverdue(ctx); err != nil {
		return nil, err
	}
	return sess, nil
}
