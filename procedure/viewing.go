package procedure

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"mileo.tech/extract/account"
	"mileo.tech/extract/register"
	"mileo.tech/extract/vms"
)

// Reasons to view recorded footage outside a case (R-ACC-1), a closed
// list; inside a case, the case is the reason.
var ViewReasons = []string{"incident_check", "request_search", "technical_check"}

// Viewing is one viewing session of recorded footage: who (the session),
// which camera and range, within which case or for which reason.
type Viewing struct {
	Case   string
	Reason string // one of ViewReasons, when there is no case
	Camera string
	Range  vms.Range
}

type viewData struct {
	Case   string    `json:"case,omitempty"`
	Reason string    `json:"reason,omitempty"`
	Camera string    `json:"camera"`
	Range  vms.Range `json:"range"`
}

// ViewingService records who views recorded footage (R-ACC-1): the
// player, the browser's previews and the anonymization review record a
// viewing session before they show the first picture of a camera.
type ViewingService struct{ s *Store }

// Record records a viewing session, signed by the viewer. A refused case
// justifies no viewing; outside a case the reason comes from ViewReasons.
func (svc *ViewingService) Record(ctx context.Context, sess *account.Session, v Viewing) error {
	s := svc.s
	v.Case, v.Reason, v.Camera = strings.TrimSpace(v.Case), strings.TrimSpace(v.Reason), strings.TrimSpace(v.Camera)
	switch {
	case v.Camera == "":
		return errorf(register.ErrInvalid, "err.view.camera")
	case v.Case == "" && !slices.Contains(ViewReasons, v.Reason):
		return errorf(register.ErrInvalid, "err.view.reason")
	case v.Case != "" && v.Reason != "":
		return errorf(register.ErrInvalid, "err.view.reason_or_case")
	}
	d := viewData{Case: v.Case, Reason: v.Reason, Camera: v.Camera, Range: utcRange(v.Range)}
	if v.Case != "" {
		_, err := s.caseStep(ctx, sess, v.Case, register.OpHandle, func(c *Case) ([]register.Record, error) {
			if c.Refusal != nil {
				return nil, errorf(register.ErrNotAuthorized, "err.view.refused", "Number", c.Number)
			}
			return []register.Record{{Action: "footage.view", Data: d}}, nil
		})
		return err
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.Accounts.SignerTx(ctx, tx, sess, register.OpHandle)
		if err != nil {
			return err
		}
		_, err = s.AppendTx(ctx, tx, sg, register.Record{Action: "footage.view", Data: d})
		return err
	})
}
