//go:build unix

package export_test

import (
	"path/filepath"
	"testing"

	"mileo.tech/extract/export"
	"mileo.tech/extract/internal/demo/demotest"
	"mileo.tech/extract/internal/privtest"
	"mileo.tech/extract/vms"
)

// Every file an export creates is 0600 and every folder 0700, clear
// videos written by FFmpeg and native copies included, whatever the
// process's umask (issue #15 door 10; R-ENC-1, R-PRG-1).
func TestFileModes(t *testing.T) {
	privtest.Umask(t, 0)
	dir := demotest.Archive(t)
	for _, tc := range []struct {
		name string
		job  export.Job
	}{
		{"clear", export.Job{Cameras: []string{"entree", "caisses"}, Range: vms.Range{Start: at(8, 0, 50), End: at(8, 1, 10)}, Native: true}},
		{"reencoded", export.Job{Cameras: []string{"entree"}, Range: vms.Range{Start: at(8, 0, 0), End: at(8, 0, 4)}, Reencode: true}},
		{"encrypted", export.Job{Cameras: []string{"entree"}, Range: vms.Range{Start: at(8, 0, 0), End: at(8, 0, 4)}, Encrypt: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			job := tc.job
			job.Source = source(t, dir)
			job.OutDir = filepath.Join(root, "exports", "case-1")
			job.WorkDir = filepath.Join(root, "work")
			run(t, job)
			if n := privtest.CheckPrivate(t, filepath.Join(root, "exports")); n < 2 {
				t.Errorf("only %d files and folders checked", n)
			}
			privtest.CheckPrivate(t, job.WorkDir)
		})
	}
}
