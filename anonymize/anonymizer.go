package anonymize

import (
	"context"
	"fmt"

	"mileo.tech/extract/export"
	"mileo.tech/extract/internal/av"
	"mileo.tech/extract/internal/cv"
)

// Options configure an [Anonymizer].
type Options struct {
	// ModelPath is the face model (see FindModel); "" searches the usual
	// places and falls back to Haar cascades when none is found.
	ModelPath string
	// Threshold is the detector's score threshold; 0 means
	// cv.DefaultThreshold (0.4: misses fewer faces, covers a few extra
	// things).
	Threshold float64
	Mode      Mode
	// Keep lists track ids left visible (the requester). Ids are those of
	// the plan: Plan's, or the one built from the clip with the same
	// options (`mileo-extract plan` shows them).
	Keep []int
	// Plan, when set, is used instead of building one (a reviewed plan).
	Plan *Plan
	// Reviewer is recorded in the documentation.
	Reviewer string
	// Threads caps the threads of OpenCV and of the encoder; 0 uses every
	// core.
	Threads int
	// PlanOptions tune the plan built when Plan is nil.
	PlanOptions PlanOptions
}

// Anonymizer builds a plan and renders it for each clip: it implements
// [export.Anonymizer].
type Anonymizer struct {
	opt Options
	det *FaceDetector // nil when a plan is given
}

var _ export.Anonymizer = (*Anonymizer)(nil)

// New checks the options and loads the detector (unless a plan is given).
func New(opt Options) (*Anonymizer, error) {
	mode, err := ParseMode(string(opt.Mode))
	if err != nil {
		return nil, err
	}
	opt.Mode = mode
	a := &Anonymizer{opt: opt}
	if opt.Plan != nil {
		if err := opt.Plan.Validate(); err != nil {
			return nil, err
		}
		if err := opt.Plan.Clone().SetKeep(opt.Keep...); err != nil {
			return nil, err
		}
		return a, nil
	}
	if opt.Threads > 0 {
		cv.SetNumThreads(opt.Threads)
	}
	a.det, err = LoadDetector(opt.ModelPath, opt.Threshold)
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Detector returns the detector's description; Fallback says the Haar
// cascades are in use. It is zero when a plan was given.
func (a *Anonymizer) Detector() DetectorInfo {
	if a.det == nil {
		return a.opt.Plan.Detector
	}
	return a.det.Describe()
}

// Close frees the detector.
func (a *Anonymizer) Close() error {
	if a.det != nil {
		return a.det.Close()
	}
	return nil
}

// Anonymize writes at out the clip at in with every face covered except
// the kept tracks, and documents what it did (R-ANON-4). Without a plan
// it detects, tracks and encodes in one pass ([PlanOptions.Anonymize]).
// Progress counts frames written; total is the container's estimate of
// the frame count.
func (a *Anonymizer) Anonymize(ctx context.Context, in av.Input, out av.Output, onProgress func(done, total int64)) (*export.Anonymization, error) {
	_, doc, err := a.AnonymizePlan(ctx, in, out, onProgress)
	return doc, err
}

// AnonymizePlan is [Anonymizer.Anonymize] that also returns the plan the
// clip was rendered with, for the final check ([Check]).
func (a *Anonymizer) AnonymizePlan(ctx context.Context, in av.Input, out av.Output, onProgress func(done, total int64)) (*Plan, *export.Anonymization, error) {
	ropt := RenderOptions{Mode: a.opt.Mode, Threads: a.opt.Threads}
	var plan *Plan
	if a.opt.Plan == nil {
		p, err := a.opt.PlanOptions.Anonymize(ctx, in, out, a.det, a.opt.Keep, ropt, onProgress)
		if err != nil {
			return nil, nil, fmt.Errorf("anonymize %s: %w", in.Path, err)
		}
		plan = p
	} else {
		plan = a.opt.Plan.Clone()
		if err := plan.SetKeep(a.opt.Keep...); err != nil {
			return nil, nil, err
		}
		if err := Render(ctx, in, out, plan, ropt, onProgress); err != nil {
			return nil, nil, fmt.Errorf("anonymize %s: %w", in.Path, err)
		}
	}
	if a.opt.Reviewer != "" {
		plan.Reviewer = a.opt.Reviewer
	}
	return plan, plan.Documentation(a.opt.Mode), nil
}
