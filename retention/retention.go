package retention

import (
	"context"
	"time"

	"mileo.tech/extract/account"
	"mileo.tech/extract/register"
)

// Procedure is what the retention rules ask of the procedure built above
// them (package procedure implements it): the facts of a case, the media
// its deliveries handed over, and the compliance register, where an
// overdue purge becomes an incident. Each reads with q, the caller's
// transaction or the read pool; the entries it decodes are the
// procedure's own (case.deliver, incident).
type Procedure interface {
	// Case returns what the retention rules need to know of a case, or
	// an error wrapping register.ErrNotFound; check verifies the hash and
	// the signature of its entries first.
	Case(ctx context.Context, q register.Querier, number string, check bool) (CaseFacts, error)
	// HandedOver decodes a case.deliver entry: the medium it handed over,
	// "" when none.
	HandedOver(e *register.Entry) (string, error)
	// OverdueIncident is the entry that records in the compliance
	// register that copy c was not purged in time (R-PRG-2).
	OverdueIncident(c *Copy, detail string) register.Record
	// OverdueCopy decodes an incident entry: the copy whose overdue purge
	// it records, "" for any other incident.
	OverdueCopy(e *register.Entry) (string, error)
	// ExportedCopy decodes a case.export entry, the verified end of an
	// export: the copy (output folder) it wrote.
	ExportedCopy(e *register.Entry) (string, error)
}

// The events a copy's deadline counts from, recorded by the procedure when
// they happen (R-PRG-2 rev.): the export's verified end (case.export), the
// end of the legitimate use of the case's footage, and the closing of the
// judicial procedure, declared when the authority says so (never the
// closing of our case).
const (
	ActionUseEnded       = "case.use_end"
	ActionJudicialClosed = "case.judicial_closed"
)

// CaseFacts are what the retention rules need to know of a case.
type CaseFacts struct {
	// Internal: the export stays in the organisation, its copies are due
	// 48 h after it (R-PRG-2).
	Internal bool
	// Written lists, by tracked copy, the files each export wrote into it
	// (R-PRG-3); a copy absent from it has no known files.
	Written map[string][]Written
}

// Written is a file an export wrote, by its name relative to the copy's
// folder and its SHA-256: a purge removes it only if it is unchanged.
type Written struct {
	Name   string
	SHA256 string
}

// Decision is a signed act on a copy or a medium: who, when, as what.
type Decision struct {
	Seq         int64
	By          string
	Role        register.Role
	Fingerprint string
	At          time.Time
}

func decision(e *register.Entry) Decision {
	return Decision{Seq: e.Seq, By: e.Actor, Role: e.Role, Fingerprint: e.Signer, At: e.Time}
}

// Store holds the services of retention, views of the same register.
type Store struct {
	log    *register.Store
	acc    *account.Service // who signs each act
	p      Procedure
	Purges *PurgeService // temporary copies, their deadlines and purge; erasure of personal data
	Media  *MediaService // the inventory of removable media
}

// The services.
type (
	PurgeService struct{ s *Store }
	MediaService struct{ s *Store }
)

// New builds the retention rules on the register, whose acts acc signs,
// for the procedure p.
func New(log *register.Store, acc *account.Service, p Procedure) *Store {
	s := &Store{log: log, acc: acc, p: p}
	s.Purges, s.Media = &PurgeService{s}, &MediaService{s}
	return s
}

func errorf(kind error, key string, kv ...any) error {
	return register.NewError(kind, key, kv...)
}
