package retention

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"mileo.tech/extract/account"
	"mileo.tech/extract/register"
)

// Removable media inventory (R-PRG-4).

// Media statuses.
const (
	MediaAvailable = "available"
	MediaInUse     = "in_use"    // holds a temporary copy
	MediaDelivered = "delivered" // handed over with an export
	MediaDestroyed = "destroyed"
)

// Medium is a removable medium of the organisation.
type Medium struct {
	ID        string
	Type      string // usb, dvd, hdd
	Note      string
	Status    string
	Added     time.Time
	Case      string // last case it served
	Destroyed *Decision
	Method    string
}

type mediaData struct {
	ID     string `json:"id"`
	Type   string `json:"type,omitempty"`
	Note   string `json:"note,omitempty"`
	Method string `json:"method,omitempty"`
}

// MediaTypes are the kinds of removable media.
var MediaTypes = []string{"usb", "dvd", "hdd"}

func (s *Store) media(ctx context.Context, q register.Querier) ([]*Medium, error) {
	es, err := register.EntriesByAction(ctx, q, "media.add", "media.destroy", "copy.track", "copy.purge", "case.deliver")
	if err != nil {
		return nil, err
	}
	byID := map[string]*Medium{}
	var order []*Medium
	for _, e := range es {
		switch e.Action {
		case "media.add":
			var d mediaData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			m := &Medium{ID: d.ID, Type: d.Type, Note: d.Note, Status: MediaAvailable, Added: e.Time}
			byID[d.ID] = m
			order = append(order, m)
		case "media.destroy":
			var d mediaData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			if m := byID[d.ID]; m != nil {
				dd := decision(e)
				m.Status, m.Destroyed, m.Method = MediaDestroyed, &dd, d.Method
			}
		case "copy.track":
			var d TrackData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			if m := byID[d.MediaID]; m != nil && m.Status != MediaDestroyed {
				m.Status, m.Case = MediaInUse, d.Case
			}
		case "copy.purge":
			var d PurgeData
			if err := e.Decode(&d); err != nil {
				return nil, err
			}
			if m := byID[d.MediaID]; m != nil && m.Status == MediaInUse {
				if d.Method == PurgeDestroy {
					dd := decision(e)
					m.Status, m.Destroyed, m.Method = MediaDestroyed, &dd, d.Method
				} else {
					m.Status = MediaAvailable
				}
			}
		case "case.deliver":
			id, err := s.p.HandedOver(e)
			if err != nil {
				return nil, err
			}
			if m := byID[id]; m != nil {
				m.Status, m.Case = MediaDelivered, e.Subject
			}
		}
	}
	return order, nil
}

// Get returns a medium of the inventory as the register read with q says
// (the caller's transaction or the read pool), or an error wrapping
// register.ErrNotFound. It checks no session: the steps of the procedure
// that hand over or label a medium call it inside their own.
func (svc *MediaService) Get(ctx context.Context, q register.Querier, id string) (*Medium, error) {
	ms, err := svc.s.media(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.ID == id {
			return m, nil
		}
	}
	return nil, errorf(register.ErrNotFound, "err.purge.medium_inventory_organisation", "ID", id)
}

// List lists the removable media inventory.
func (svc *MediaService) List(ctx context.Context, sess *account.Session) ([]*Medium, error) {
	s := svc.s
	if err := s.acc.CheckSession(ctx, sess, register.OpLogin); err != nil {
		return nil, err
	}
	return s.media(ctx, s.log.ReadDB())
}

// Add adds a removable medium of the organisation to the inventory.
func (svc *MediaService) Add(ctx context.Context, sess *account.Session, id, typ, note string) (*Medium, error) {
	s := svc.s
	id = strings.TrimSpace(id)
	if id == "" || len(id) > 64 {
		return nil, errorf(register.ErrInvalid, "err.purge.medium_needs_inventory")
	}
	ok := false
	for _, t := range MediaTypes {
		ok = ok || t == typ
	}
	if !ok {
		return nil, errorf(register.ErrInvalid, "err.purge.medium_type_usb", "Type", typ)
	}
	err := s.log.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.acc.SignerTx(ctx, tx, sess, register.OpPurge)
		if err != nil {
			return err
		}
		if _, err := svc.Get(ctx, tx, id); err == nil {
			return errorf(register.ErrInvalid, "err.purge.medium_already_inventory", "ID", id)
		}
		_, err = s.log.AppendTx(ctx, tx, sg, register.Record{Action: "media.add", Subject: "media:" + id, Data: mediaData{ID: id, Type: typ, Note: note}})
		return err
	})
	if err != nil {
		return nil, err
	}
	return svc.Get(ctx, s.log.ReadDB(), id)
}

// Destroy records the physical destruction of a medium at the end of its
// life (R-PRG-4), declared by the person who did it.
func (svc *MediaService) Destroy(ctx context.Context, sess *account.Session, id, method string) (*Medium, error) {
	s := svc.s
	if strings.TrimSpace(method) == "" {
		return nil, errorf(register.ErrInvalid, "err.purge.say_how_medium")
	}
	err := s.log.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.acc.SignerTx(ctx, tx, sess, register.OpPurge)
		if err != nil {
			return err
		}
		m, err := svc.Get(ctx, tx, id)
		if err != nil {
			return err
		}
		switch m.Status {
		case MediaDestroyed:
			return errorf(register.ErrState, "err.purge.medium_already_destroyed", "ID", id)
		case MediaInUse:
			return errorf(register.ErrState, "err.purge.medium_holds_temporary", "ID", id, "Case", m.Case)
		case MediaDelivered:
			return errorf(register.ErrState, "err.purge.medium_was_handed", "ID", id, "Case", m.Case)
		}
		_, err = s.log.AppendTx(ctx, tx, sg, register.Record{Action: "media.destroy", Subject: "media:" + id, Data: mediaData{ID: id, Method: method}})
		return err
	})
	if err != nil {
		return nil, err
	}
	if _, err := s.log.WriteCheckpoint(ctx); err != nil {
		return nil, err
	}
	return svc.Get(ctx, s.log.ReadDB(), id)
}
