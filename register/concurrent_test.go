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
)

// appendChild is the body of a child process: sign as a test user and
// append entries.
func appendChild(dir string) int {
	ctx := context.Background()
	s, err := Open(ctx, dir, Options{Software: "test-child"})
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
	var before int
	f.s.rdb.QueryRow(`SELECT COUNT(*) FROM entries`).Scan(&before)
	const n = 40
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
				appendRoleEnv+"="+string(u.role), appendCountEnv+"="+strconv.Itoa(n))
			outs[i], errs[i] = cmd.CombinedOutput()
		}()
	}
	// The parent appends too, through its own connection pool.
	for i := 0; i < n; i++ {
		if err := appendIncident(f.ctx, f.s, f.admin, fmt.Sprintf("parent %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	for i := range users {
		if errs[i] != nil {
			t.Fatalf("child %d: %v\n%s", i, errs[i], outs[i])
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
