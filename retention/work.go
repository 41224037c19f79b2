package retention

import (
	"context"
	"errors"

	"mileo.tech/extract/account"
	"mileo.tech/extract/internal/workdir"
)

// Work is an encrypted working folder (internal/workdir: every file under
// a key held only in memory) for the clips, plans and renderings a front
// end makes while previewing or reviewing footage. The one of a case is a
// tracked temporary copy from its creation (R-PRG-1); closing it
// crypto-erases it and records the purge (R-PRG-3). Leftovers of a crash
// are swept at the next start ([PurgeService.SweepWorkdirs]).
type Work struct {
	*workdir.Dir
	purges *PurgeService
	copyID string // "" for a preview folder, which is not a case's copy
}

// NewPreviewWork makes the working folder of the player's windows.
func (svc *PurgeService) NewPreviewWork() (*Work, error) {
	wd, err := workdir.New(svc.WorkDir())
	if err != nil {
		return nil, err
	}
	return &Work{Dir: wd, purges: svc}, nil
}

// NewCaseWork makes the working folder of a case (review clips, plans,
// renderings: faces) and tracks it as a temporary copy, so that its purge
// is due and shown on the dashboard (R-PRG-1).
func (svc *PurgeService) NewCaseWork(ctx context.Context, sess *account.Session, number string) (*Work, error) {
	wd, err := workdir.New(svc.WorkDir())
	if err != nil {
		return nil, err
	}
	cp, err := svc.Track(ctx, sess, TrackInput{Case: number, Kind: CopyWorkdir, Location: wd.Path()})
	if err != nil {
		return nil, errors.Join(err, wd.Erase())
	}
	return &Work{Dir: wd, purges: svc, copyID: cp.ID}, nil
}

// Erase crypto-erases the folder and, for a case's, records the purge
// signed by sess (R-PRG-3). A folder that could not be erased is swept
// and recorded at the next start.
func (w *Work) Erase(ctx context.Context, sess *account.Session) error {
	if err := w.Dir.Erase(); err != nil {
		return err
	}
	if w.copyID == "" {
		return nil
	}
	_, err := w.purges.Workdir(ctx, sess, w.copyID)
	return err
}
