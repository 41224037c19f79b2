package redaction

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"

	"mileo.tech/extract/account"
	"mileo.tech/extract/anonymize"
	"mileo.tech/extract/anonymize/finalcheck"
	"mileo.tech/extract/export"
	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
)

// Service redacts the footage of a case's access request with the plans
// reviewed for it.
type Service struct{ st *procedure.Store }

// New returns the service on the procedure's store.
func New(st *procedure.Store) *Service { return &Service{st: st} }

// SaveReview stores the reviewed plan of one camera with the case, without
// the faces' thumbnails, so that any front end renders the same
// anonymization (R-ANON-3). The procedure decides when a case may take
// one ([procedure.CaseService.AttachReviewPlan]).
func (svc *Service) SaveReview(ctx context.Context, sess *account.Session, number, camera string, plan *anonymize.Plan) error {
	if plan == nil {
		return register.NewError(register.ErrInvalid, "err.review.no_plan")
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
	return svc.st.Cases.AttachReviewPlan(ctx, sess, number, camera, data)
}

// Plans returns the latest reviewed plan of each camera of the case.
func (svc *Service) Plans(ctx context.Context, sess *account.Session, number string) (map[string]*anonymize.Plan, error) {
	raw, err := svc.st.Cases.ReviewPlanData(ctx, sess, number)
	if err != nil {
		return nil, err
	}
	out := map[string]*anonymize.Plan{}
	for cam, data := range raw {
		p, err := anonymize.DecodePlan(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("reviewed plan of camera %s of case %s: %w", cam, number, err)
		}
		out[cam] = p
	}
	return out, nil
}

// Anonymizer returns the anonymizer of an access request's export: each
// exported clip is rendered with the plan reviewed for it (matched by the
// clip's SHA-256: the review clip is built like the export's), and with
// automatic detection, which covers every face, where no reviewed plan
// matches. opt gives the model, the mode and the reviewer; its Plan is
// ignored. The window and the command line both use it.
func (svc *Service) Anonymizer(ctx context.Context, sess *account.Session, number string, opt anonymize.Options) (*Anonymizer, error) {
	plans, err := svc.Plans(ctx, sess, number)
	if err != nil {
		return nil, err
	}
	opt.Plan = nil
	return &Anonymizer{plans: plans, opt: opt, used: map[string]bool{}, rendered: map[*export.Anonymization]*anonymize.Plan{}}, nil
}

// Anonymizer is an [export.Anonymizer] applying reviewed plans, and an
// [export.Checker] running the independent final check on what it
// rendered (R-ANON-2 rev.).
type Anonymizer struct {
	plans map[string]*anonymize.Plan
	opt   anonymize.Options

	mu       sync.Mutex
	used     map[string]bool                           // cameras whose reviewed plan was applied
	rendered map[*export.Anonymization]*anonymize.Plan // the plan of each clip rendered, until checked
}

var (
	_ export.Anonymizer = (*Anonymizer)(nil)
	_ export.Checker    = (*Anonymizer)(nil)
)

// Anonymize renders one clip (see [export.Anonymizer]).
func (a *Anonymizer) Anonymize(ctx context.Context, in av.Input, out av.Output, onProgress func(done, total int64)) (*export.Anonymization, error) {
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
// anonymizer rendered (R-ANON-2 rev.; see [finalcheck.Check]): its models
// did not build the plan. Its suspects are recorded with the export and
// settled by a person before the export is called verified.
func (a *Anonymizer) CheckRendered(ctx context.Context, doc *export.Anonymization, rendered av.Input, onProgress func(done, total int64)) (*export.FinalCheck, error) {
	a.mu.Lock()
	plan := a.rendered[doc]
	delete(a.rendered, doc)
	a.mu.Unlock()
	if plan == nil {
		return nil, errors.New("final check: this clip was not rendered here")
	}
	rep, err := finalcheck.Check(ctx, rendered, plan, finalcheck.CheckOptions{OnProgress: onProgress})
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
func (a *Anonymizer) Fallback() bool {
	_, err := anonymize.FindModel(a.opt.ModelPath)
	return a.opt.ModelPath == "" && errors.Is(err, anonymize.ErrNoModel)
}

// Unused lists the reviewed cameras whose plan matched no exported clip
// (the range changed since the review): their faces were all covered by
// automatic detection.
func (a *Anonymizer) Unused() []string {
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
