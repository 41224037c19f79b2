package register

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
)

const (
	appendChildEnv = "REGISTER_TEST_APPEND_DIR"
	appendUserEnv  = "REGISTER_TEST_APPEND_USER"
	appendRoleEnv  = "REGISTER_TEST_APPEND_ROLE"
	appendCountEnv = "REGISTER_TEST_APPEND_COUNT"
	appendURLEnv   = "REGISTER_TEST_APPEND_URL"
)

// appendChild is the body of a child process: sign as a test user and
// append entries.
func appendChild(dir string) int {
	ctx := context.Background()
	s, err := Open(ctx, dir, Options{Software: "test-child", URL: os.Getenv(appendURLEnv)})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer s.Close()
	u := newTestUser(os.Getenv(appendUserEnv), Role(os.Getenv(appendRoleEnv)))
	n, _ := strconv.Atoi(os.Getenv(appendCountEnv))
	for i := 0; i < n; i++ {
		if err := appendIncident(ctx, s, u, fmt.Sprintf("test %s %d", u.name, i)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return 0
}

// Two OS processes appending at once lose nothing and keep the chain valid.
func TestConcurrentProcesses(t *testing.T) {
	f := newFixture(t)
	concurrentProcesses(t, f, "", 40)
}

// Several OS processes (workstations) and goroutines appending at once to
// a PostgreSQL register keep one chain: every entry there, no fork, no gap
// (R-REG-1).
func TestConcurrentProcessesPostgres(t *testing.T) {
	d := PGDatabase(t)
	f := newFixtureURL(t, d.AppURL)
	concurrentProcesses(t, f, d.AppURL, 40)
}

func concurrentProcesses(t *testing.T, f *fixture, url string, n int) {
	var before int
	f.s.rdb.QueryRow(`SELECT COUNT(*) FROM entries`).Scan(&before)
	users := []*testUser{f.op, f.rs, f.dpo}
	var wg sync.WaitGroup
	errs := make([]error, len(users))
	outs := make([][]byte, len(users))
	for i, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), appendChildEnv+"="+f.dir, appendUserEnv+"="+u.name,
				appendRoleEnv+"="+string(u.role), appendCountEnv+"="+strconv.Itoa(n), appendURLEnv+"="+url)
			outs[i], errs[i] = cmd.CombinedOutput()
		}()
	}
	// The parent appends too, from two goroutines with a pool each.
	other := openStoreURL(t, f.dir, url, f.clock)
	perr := make([]error, 2)
	for g, s := range []*Store{f.s, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < n/2; i++ {
				if err := appendIncident(f.ctx, s, f.admin, fmt.Sprintf("parent %d %d", g, i)); err != nil {
					perr[g] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for i := range users {
		if errs[i] != nil {
			t.Fatalf("child %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	for _, err := range perr {
		if err != nil {
			t.Fatal(err)
		}
	}
	var after int
	f.s.rdb.QueryRow(`SELECT COUNT(*) FROM entries`).Scan(&after)
	if want := before + (len(users)+1)*n; after != want {
		t.Fatalf("%d entries, want %d", after, want)
	}
	rep := f.verify(VerifyOptions{})
	if rep.Entries != int64(after) {
		t.Fatalf("verified %d of %d", rep.Entries, after)
	}
}
