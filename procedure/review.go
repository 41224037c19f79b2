package procedure

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"mileo.tech/extract/account"
	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/register"
)

// KindReviewPlan is the attachment kind of a reviewed anonymization plan
// (R-ANON-3, R-ANON-4): the tracks kept or dismissed, the manual regions
// and the reviewer, bound to the clip it was made on by the clip's
// SHA-256. It is stored without the faces' thumbnails. Package redaction
// encodes and applies the plans; the rules of storing one are here.
const KindReviewPlan = "anonymization_plan"

const planSuffix = ".plan.json"

// Reviewed reports whether the anonymization of the case was reviewed
// (at least one camera's plan is stored with the case).
func (c *Case) Reviewed() bool { return c.hasKind(KindReviewPlan) }

// AttachReviewPlan stores the encoded reviewed plan of one camera with the
// case (R-ANON-3). Only an access request, authorized and not yet
// delivered, is reviewed. Storing the same plan again does nothing.
func (svc *CaseService) AttachReviewPlan(ctx context.Context, sess *account.Session, number, camera string, data []byte) error {
	if len(data) == 0 {
		return errorf(register.ErrInvalid, "err.review.no_plan")
	}
	if camera == "" || strings.ContainsAny(camera, "/\\\x00") {
		return errorf(register.ErrInvalid, "err.review.camera", "Camera", camera)
	}
	c, err := svc.Get(ctx, sess, number)
	if err != nil {
		return err
	}
	if h := sha256Hex(data); c.hasAttachment(h) {
		return nil
	}
	_, err = svc.s.attach(ctx, sess, number, camera+planSuffix, data, KindReviewPlan, "reviewed anonymization plan", func(c *Case) error {
		if c.Reason != ReasonAccess {
			return errorf(register.ErrInvalid, "err.review.not_access", "Number", c.Number)
		}
		switch c.State {
		case StateAuthorized, StateExported:
			return nil
		}
		return errorf(register.ErrState, "err.review.state", "Number", c.Number, "State", i18n.Key("err.state."+string(c.State)))
	})
	return err
}

// ReviewPlanData returns the latest encoded reviewed plan of each camera
// of the case (erased ones left out).
func (svc *CaseService) ReviewPlanData(ctx context.Context, sess *account.Session, number string) (map[string][]byte, error) {
	c, err := svc.Get(ctx, sess, number)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, a := range c.Attachments { // oldest first: the latest wins
		if a.Kind != KindReviewPlan {
			continue
		}
		data, err := svc.s.Delivery.AttachmentData(ctx, sess, a.SHA256)
		if err != nil {
			return nil, err
		}
		if data == nil {
			continue // erased at the end of retention
		}
		out[strings.TrimSuffix(a.Name, planSuffix)] = data
	}
	return out, nil
}

func (c *Case) hasAttachment(sha string) bool {
	for _, a := range c.Attachments {
		if a.SHA256 == sha {
			return true
		}
	}
	return false
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
