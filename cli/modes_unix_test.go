//go:build unix

package cli

import (
	"context"
	"path/filepath"
	"testing"

	"mileo.tech/extract/internal/demo/demotest"
	"mileo.tech/extract/internal/privtest"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
)

// After a case exported from the command line, every file the program
// made in the data folder (register.db with its -wal and -shm, site key,
// checkpoints, working folders) and in the export folder is 0600 and
// every folder 0700, by the program's own modes: the umask is 0 here
// (issue #15 door 10; R-ENC-1, R-ENC-2, R-PRG-1).
func TestCaseExportFileModes(t *testing.T) {
	privtest.Umask(t, 0)
	src := "folder:" + demotest.Archive(t)
	c := newCLI(t)
	c.data = filepath.Join(t.TempDir(), "data") // made by the program
	c.setup()
	n := c.authorizedCase()
	exports := filepath.Join(t.TempDir(), "exports")
	c.ok(cliOp, "case", "export", n, "--source", src, "--out", filepath.Join(exports, n), "--password-fd", "3", "--as", "o.martin")
	c.password()
	c.ok(cliRS, "register", "sheet", n, "--out", filepath.Join(exports, "fiche.pdf"), "--as", "rs.bernard")
	c.ok("", "register", "checkpoint", "--out", filepath.Join(exports, "checkpoint.txt"))
	// The register open, so that its -wal and -shm files exist.
	st, err := procedure.Open(context.Background(), c.data, register.Options{Software: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Login(context.Background(), "dpo.leroy", cliDPO); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"register.db", "register.db-wal", "register.db-shm"} {
		if n := privtest.CheckPrivate(t, filepath.Join(c.data, want)); n != 1 {
			t.Errorf("%s not found", want)
		}
	}
	if n := privtest.CheckPrivate(t, c.data); n < 6 {
		t.Errorf("only %d files and folders in the data folder", n)
	}
	if n := privtest.CheckPrivate(t, exports); n < 5 {
		t.Errorf("only %d files and folders in the export folder", n)
	}
}
