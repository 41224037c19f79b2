package retention

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"mileo.tech/extract/internal/workdir"
	"mileo.tech/extract/register"
)

// SweepData is the data of a workdir.sweep entry.
type SweepData struct {
	Erased []string `json:"erased"`
	// Removed lists the folders that versions before the encrypted work
	// area left in clear (deleted, not crypto-erased).
	Removed []string `json:"removed,omitempty"`
}

// RecordSweep records, signed by the site key, the working folders of
// crashed jobs that internal/workdir.Sweep crypto-erased at start-up, and
// marks the tracked copies among them as purged.
func (svc *PurgeService) RecordSweep(ctx context.Context, erased []string) error {
	return svc.s.recordSweep(ctx, erased, nil)
}

func (s *Store) recordSweep(ctx context.Context, erased, removed []string) error {
	if len(erased)+len(removed) == 0 {
		return nil
	}
	sys, err := s.log.SystemSigner()
	if err != nil {
		return err
	}
	return s.log.Write(ctx, func(tx *sql.Tx) error {
		if _, err := s.log.AppendTx(ctx, tx, sys, register.Record{Action: "workdir.sweep", Data: SweepData{Erased: erased, Removed: removed}}); err != nil {
			return err
		}
		cs, err := s.copies(ctx, tx)
		if err != nil {
			return err
		}
		gone := map[string]bool{}
		for _, p := range erased {
			gone[filepath.Clean(p)] = true
		}
		for _, c := range cs {
			if c.Purge == nil && c.Kind == CopyWorkdir && gone[filepath.Clean(c.Location)] {
				if _, err := s.log.AppendTx(ctx, tx, sys, register.Record{Action: "copy.purge", Subject: c.Case,
					Data: PurgeData{Copy: c.ID, Method: PurgeCryptoErase, Standard: Standard(PurgeCryptoErase), Verified: true}}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// WorkDirName is the folder of the data folder holding the encrypted
// working folders of running jobs (package internal/workdir).
const WorkDirName = "work"

// WorkDir is the parent folder of working folders: pass it to workdir.New.
func (svc *PurgeService) WorkDir() string { return filepath.Join(svc.s.log.Dir(), WorkDirName) }

// SweepWorkdirs crypto-erases the working folders left by crashed jobs and
// records them (R-PRG-3). Run it at start-up.
// It also deletes, and records, the folders that versions before the
// encrypted work area left in clear: "preview" (the player's clips) and
// "work/<case number>" (anonymization reviews: clips and face thumbnails).
func (svc *PurgeService) SweepWorkdirs(ctx context.Context) ([]string, error) {
	s := svc.s
	erased, err := workdir.Sweep(svc.WorkDir())
	removed, rerr := svc.removeClearFolders()
	err = errors.Join(err, rerr)
	if len(erased)+len(removed) > 0 && s.log.Initialized() {
		err = errors.Join(err, s.recordSweep(ctx, erased, removed))
	}
	return append(erased, removed...), err
}

// removeClearFolders deletes the clear working folders of earlier
// versions (see SweepWorkdirs) and returns those it deleted.
func (svc *PurgeService) removeClearFolders() ([]string, error) {
	var dirs []string
	data := svc.s.log.Dir()
	if fi, err := os.Stat(filepath.Join(data, "preview")); err == nil && fi.IsDir() {
		dirs = append(dirs, filepath.Join(data, "preview"))
	}
	ents, err := os.ReadDir(svc.WorkDir())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("register: sweep %s: %w", svc.WorkDir(), err)
	}
	for _, e := range ents {
		if e.IsDir() && !strings.HasPrefix(e.Name(), workdir.Prefix) {
			dirs = append(dirs, filepath.Join(svc.WorkDir(), e.Name()))
		}
	}
	var removed []string
	var errs []error
	for _, d := range dirs {
		if err := os.RemoveAll(d); err != nil {
			errs = append(errs, fmt.Errorf("register: remove %s: %w", d, err))
			continue
		}
		removed = append(removed, d)
	}
	return removed, errors.Join(errs...)
}
