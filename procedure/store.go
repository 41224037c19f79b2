package procedure

import (
	"context"

	"mileo.tech/extract/account"
	"mileo.tech/extract/incident"
	"mileo.tech/extract/register"
	"mileo.tech/extract/retention"
	"mileo.tech/extract/siteconfig"
)

// Store is the procedure built on the register's signed log: one service
// per noun, each owning its rules and what each act records. The log's own
// API (verify, checkpoints) is promoted from [register.Store]; the accounts
// that sign are [account.Service]. Purges and Media are the services of
// package retention, built for this procedure; the documents are printed by
// package papers.
type Store struct {
	*register.Store
	Accounts  *account.Service        // users, passwords and keys, login, signers
	Cases     *CaseService            // requests, confirmation, authorization, export
	Delivery  *DeliveryService        // handover and attached documents
	Purges    *retention.PurgeService // temporary copies, their deadlines and purge
	Media     *retention.MediaService // the inventory of removable media
	Incidents *incident.Service       // the compliance register
	Settings  *siteconfig.Service     // the site's settings, each change an entry
	Viewing   *ViewingService         // who views recorded footage (R-ACC-1)
	Delegates *account.Delegates      // the security manager's designated delegates
}

// The services. Each is a view of the same [Store].
type (
	CaseService     struct{ s *Store }
	DeliveryService struct{ s *Store }
)

// New builds the procedure on an open register, with the retention rules
// of its copies and media.
func New(log *register.Store) *Store {
	s := &Store{Store: log, Accounts: account.New(log)}
	s.Cases, s.Delivery = &CaseService{s}, &DeliveryService{s}
	s.Incidents, s.Settings = incident.New(log, s.Accounts, CheckCaseNumber), siteconfig.New(log, s.Accounts)
	s.Viewing, s.Delegates = &ViewingService{s}, s.Accounts.Delegates()
	r := retention.New(log, s.Accounts, retentionFacts{s})
	s.Purges, s.Media = r.Purges, r.Media
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
	if _, err := s.Cases.CheckInterruptedExports(ctx); err != nil {
		return nil, err
	}
	return sess, nil
}
