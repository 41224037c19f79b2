package procedure

import (
	"context"

	"mileo.tech/extract/account"
	"mileo.tech/extract/register"
)

// Store is the procedure built on the register's signed log: one service
// per noun, each owning its rules and what each act records. The log's own
// API (verify, checkpoints) is promoted from [register.Store]; the accounts
// that sign are [account.Service].
type Store struct {
	*register.Store
	Accounts  *account.Service // users, passwords and keys, login, signers
	Cases     *CaseService     // requests, confirmation, authorization, export
	Delivery  *DeliveryService // handover and attached documents
	Purges    *PurgeService    // temporary copies, their deadlines and purge
	Media     *MediaService    // the inventory of removable media
	Incidents *IncidentService // the compliance register
	Papers    *PaperService    // documents printed from the register
	Settings  *SettingService  // settings, each change an entry
	Viewing   *ViewingService  // who views recorded footage (R-ACC-1)
}

// The services. Each is a view of the same [Store].
type (
	CaseService     struct{ s *Store }
	DeliveryService struct{ s *Store }
	PurgeService    struct{ s *Store }
	MediaService    struct{ s *Store }
	IncidentService struct{ s *Store }
	PaperService    struct{ s *Store }
	SettingService  struct{ s *Store }
)

// New builds the procedure on an open register.
func New(log *register.Store) *Store {
	s := &Store{Store: log, Accounts: account.New(log)}
	s.Cases, s.Delivery, s.Purges, s.Media = &CaseService{s}, &DeliveryService{s}, &PurgeService{s}, &MediaService{s}
	s.Incidents, s.Papers, s.Settings = &IncidentService{s}, &PaperService{s}, &SettingService{s}
	s.Viewing = &ViewingService{s}
	return s
}

func errorf(kind error, key string, kv ...any) error {
	return register.NewError(kind, key, kv...)
}

// Open opens the register in dir (see [register.Open]) with the procedure
// on it.
func Open(ctx context.Context, dir string, opt register.Options) (*Store, error) {
	log, err := register.Open(ctx, dir, opt)
	if err != nil {
		return nil, err
	}
	return New(log), nil
}

// Login opens a session (see [account.Service.Login]); overdue purges become
// incidents whenever someone uses the program (R-PRG-2).
func (s *Store) Login(ctx context.Context, name, password string) (*account.Session, error) {
	sess, err := s.Accounts.Login(ctx, name, password)
	if err != nil {
		return nil, err
	}
	if _, err := s.Purges.CheckOverdue(ctx); err != nil {
		return nil, err
	}
	if _, err := s.Cases.CheckAccessDeadlines(ctx); err != nil {
		return nil, err
	}
	return sess, nil
}
