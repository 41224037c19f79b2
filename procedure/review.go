package procedure

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"mileo.tech/extract/account"
	"mileo.tech/extract/internal/i18n"

	"mileo.tech/extract/anonymize"
	"mileo.tech/extract/export"
	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/register"
)

// KindReviewPlan is the attachment kind of a reviewed anonymization plan
// (R-ANON-3, R-ANON-4): the tracks kept or dismissed, the manual regions
// and the reviewer, bound to the clip it was made on by the clip's
// SHA-256. It is stored without the faces' thumbnails.
const KindReviewPlan = "anonymization_plan"

const planSuffix = ".plan.json"

// Reviewed reports whether the anonymization of the case was reviewed
// (at least one camera's plan is stored with the case).
func (c *Case) Reviewed() bool { return c.hasKind(KindReviewPlan) }

// SaveReview stores the reviewed plan of one camera with the case, so that
// any front end renders the same anonymization (R-ANON-3). Only an access
// request, authorized and not yet delivered, is reviewed. Saving the same
// plan again does nothing.
func (svc *CaseService) SaveReview(ctx context.Context, sess *account.Session, number, camera string, plan *anonymize.Plan) error {
	if plan == nil {
		return errorf(register.ErrInvalid, "err.review.no_plan")
	}
	if camera == "" || strings.ContainsAny(camera, "/\\\x00") {
		return errorf(register.ErrInvalid, "err.review.camera", "Camera", camera)
	}
	stored := *plan
	stored.Tracks = make([]anonymize.Track, len(plan.Tracks))
	for i, t := range plan.Tracks {
		t.Thumb = nil // faces stay in the encrypted working folder only
		stored.Tracks[i] = t
	}
	data, err := json.Marshal(&stored)
	if err != nil {
		return fmt.Errorf("encode plan: %w", err)
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

// ReviewPlans returns the latest reviewed plan of each camera of the case.
func (svc *CaseService) ReviewPlans(ctx context.Context, sess *account.Session, number string) (map[string]*anonymize.Plan, error) {
	c, err := svc.Get(ctx, sess, number)
	if err != nil {
		return nil, err
	}
	out := map[string]*anonymize.Plan{}
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
		p, err := anonymize.DecodePlan(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("reviewed plan %s of case %s: %w", a.Name, number, err)
		}
		out[strings.TrimSuffix(a.Name, planSuffix)] = p
	}
	return out, nil
}

// Anonymizer returns the anonymizer of an access request's export: each
// exported clip is rendered with the plan reviewed for it (matched by the
// clip's SHA-256: the review clip is built like the export's), and with
// automatic detection, which covers every face, where no reviewed plan
// matches. opt gives the model, the mode and the reviewer; its Plan is
// ignored. The window and the command line both use it.
func (svc *CaseService) Anonymizer(ctx context.Context, sess *account.Session, number string, opt anonymize.Options) (*ReviewedAnonymizer, error) {
	plans, err := svc.ReviewPlans(ctx, sess, number)
	if err != nil {
		return nil, err
	}
	opt.Plan = nil
	return &ReviewedAnonymizer{plans: plans, opt: opt, used: map[string]bool{}, rendered: map[*export.Anonymization]*anonymize.Plan{}}, nil
}

// ReviewedAnonymizer is an [export.Anonymizer] applying reviewed plans.
type ReviewedAnonymizer struct {
	plans map[string]*anonymize.Plan
	opt   anonymize.Options

	mu       sync.Mutex
	used     map[string]bool                           // cameras whose reviewed plan was applied
	rendered map[*export.Anonymization]*anonymize.Plan // the plan of each clip rendered, until checked
}

var (
	_ export.Anonymizer = (*ReviewedAnonymizer)(nil)
	_ export.Checker    = (*ReviewedAnonymizer)(nil)
)

// Anonymize renders one clip (see [export.Anonymizer]).
func (a *ReviewedAnonymizer) Anonymize(ctx context.Context, in av.Input, out av.Output, onProgress func(done, total int64)) (*export.Anonymization, error) {
	opt := a.opt
	if len(a.plans) > 0 {
		_, sum, err := in.Hash(ctx)
		if err != nil {
			return nil, err
		}
		for cam, p := range a.plans {
			if p.Source.SHA256 == sum {
				opt.Plan = p
				a.mu.Lock()
				a.used[cam] = true
				a.mu.Unlock()
				break
			}
		}
	}
	an, err := anonymize.New(opt)
	if err != nil {
		return nil, err
	}
	defer an.Close()
	plan, doc, err := an.AnonymizePlan(ctx, in, out, onProgress)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	a.rendered[doc] = plan
	a.mu.Unlock()
	return doc, nil
}

// CheckRendered runs the independent final check on a clip this
// anonymizer rendered (R-ANON-2 rev.; see [anonymize.Check]): its models
// did not build the plan. Its suspects are recorded with the export and
// settled by a person before the export is called verified.
func (a *ReviewedAnonymizer) CheckRendered(ctx context.Context, doc *export.Anonymization, rendered av.Input, onProgress func(done, total int64)) (*export.FinalCheck, error) {
	a.mu.Lock()
	plan := a.rendered[doc]
	delete(a.rendered, doc)
	a.mu.Unlock()
	if plan == nil {
		return nil, errors.New("final check: this clip was not rendered here")
	}
	rep, err := anonymize.Check(ctx, rendered, plan, anonymize.CheckOptions{OnProgress: onProgress})
	if err != nil {
		return nil, err
	}
	fc := &export.FinalCheck{Checker: rep.Checker, Frames: rep.Frames, Analysed: rep.Analysed, Suspects: []export.Suspect{}}
	for _, s := range rep.Suspects {
		fc.Suspects = append(fc.Suspects, export.Suspect(s))
	}
	return fc, nil
}

// Fallback reports whether clips without a reviewed plan would be covered
// by the Haar fallback (no face model found), as anonymize.LoadDetector
// decides, without loading a model to find out.
func (a *ReviewedAnonymizer) Fallback() bool {
	_, err := anonymize.FindModel(a.opt.ModelPath)
	return a.opt.ModelPath == "" && errors.Is(err, anonymize.ErrNoModel)
}

// Unused lists the reviewed cameras whose plan matched no exported clip
// (the range changed since the review): their faces were all covered by
// automatic detection.
func (a *ReviewedAnonymizer) Unused() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []string
	for cam := range a.plans {
		if !a.used[cam] {
			out = append(out, cam)
		}
	}
	sort.Strings(out)
	return out
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
