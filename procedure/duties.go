package procedure

import (
	"slices"

	"mileo.tech/extract/internal/i18n"

	"mileo.tech/extract/register"
	"mileo.tech/extract/vms"
)

// Rules on who may act on a case and how far, checked by the steps that
// record the act. Each returns nil or an error the person can act on.

// checkAuthorizer enforces the separation of duties (R-SOD-1, R-AUTH-1):
// the person who authorizes or refuses a case did not request, confirm or
// export it, so that the two signatures of the register sheet are two
// people.
func checkAuthorizer(c *Case, user string) error {
	did := ""
	switch {
	case c.FiledBy == user:
		did = "filed"
	case c.Confirmation != nil && c.Confirmation.By == user:
		did = "confirmed"
	case c.Emergency != nil && c.Emergency.By == user:
		did = "exported"
	default:
		for _, x := range c.Exports {
			if x.By == user {
				did = "exported"
			}
		}
	}
	if did != "" {
		return errorf(register.ErrForbidden, "err.duties.own_decision", "Did", i18n.Key("err.duties.did."+did), "Number", c.Number)
	}
	return nil
}

// checkExporter: the person who authorized a case does not export it
// (R-SOD-1). A judicial requisition is not a person's authorization.
func checkExporter(c *Case, user string) error {
	if a := c.Authorization; a != nil && a.By == user && a.Basis != "requisition" {
		return errorf(register.ErrForbidden, "err.duties.own_export", "Number", c.Number)
	}
	return nil
}

// checkNarrowing: the confirmation with the requester can only narrow the
// range and the cameras; widening them is a new request (R-REQ-2).
func checkNarrowing(c *Case, r vms.Range, cams []string) error {
	if r.Start.Before(c.Range.Start) || r.End.After(c.Range.End) {
		return errorf(register.ErrInvalid, "err.duties.wider_range")
	}
	for _, cam := range cams {
		if !slices.Contains(c.Cameras, cam) {
			return errorf(register.ErrInvalid, "err.duties.new_camera", "Camera", cam)
		}
	}
	return nil
}
