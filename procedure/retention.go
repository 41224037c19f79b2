package procedure

import (
	"context"

	"mileo.tech/extract/incident"
	"mileo.tech/extract/register"
	"mileo.tech/extract/retention"
)

// retentionFacts is what package retention asks of the procedure
// ([retention.Procedure]): the facts of a case, the media handed over, and
// the incident of an overdue purge, in the procedure's own entries.
type retentionFacts struct{ s *Store }

var _ retention.Procedure = retentionFacts{}

// Case returns what the retention rules need to know of a case.
func (r retentionFacts) Case(ctx context.Context, q register.Querier, number string, check bool) (retention.CaseFacts, error) {
	c, err := r.s.readCase(ctx, q, number, check)
	if err != nil {
		return retention.CaseFacts{}, err
	}
	f := retention.CaseFacts{Internal: c.Internal, Written: map[string][]retention.Written{}}
	for _, x := range c.Exports { // the latest export of a copy wins
		if x.Written == nil {
			delete(f.Written, x.CopyID)
			continue
		}
		w := make([]retention.Written, len(x.Written))
		for i, y := range x.Written {
			w[i] = retention.Written{Name: y.Name, SHA256: y.SHA256}
		}
		f.Written[x.CopyID] = w
	}
	return f, nil
}

// HandedOver decodes a case.deliver entry: the medium handed over.
func (retentionFacts) HandedOver(e *register.Entry) (string, error) {
	var d deliverData
	if err := e.Decode(&d); err != nil {
		return "", err
	}
	return d.MediaID, nil
}

// OverdueIncident is the incident of a copy not purged in time (R-PRG-2).
func (retentionFacts) OverdueIncident(c *retention.Copy, detail string) register.Record {
	return register.Record{Action: "incident", Subject: c.Case,
		Data: incident.Data{Kind: incident.PurgeOverdue, Case: c.Case, Copy: c.ID, Detail: detail}}
}

// OverdueCopy decodes an incident entry: the copy of an overdue purge.
func (retentionFacts) OverdueCopy(e *register.Entry) (string, error) {
	var d incident.Data
	if err := e.Decode(&d); err != nil {
		return "", err
	}
	if d.Kind != incident.PurgeOverdue {
		return "", nil
	}
	return d.Copy, nil
}

// ExportedCopy decodes a case.export entry: the copy it wrote.
func (retentionFacts) ExportedCopy(e *register.Entry) (string, error) {
	var d ExportRecord
	if err := e.Decode(&d); err != nil {
		return "", err
	}
	return d.CopyID, nil
}
