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
	appendPassEnv  = "REGISTER_TEST_APPEND_PASSWORD"
	appendCountEnv = "REGISTER_TEST_APPEND_COUNT"
)

// appendChild is the body of a child process: log in and append entries.
func appendChild(dir string) int {
	ctx := context.Background()
	s, err := Open(ctx, dir, Options{Software: "test-child"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer s.Close()
	sess, err := s.Accounts.Login(ctx, os.Getenv(appendUserEnv), os.Getenv(appendPassEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	n, _ := strconv.Atoi(os.Getenv(appendCountEnv))
	for i := 0; i < n; i++ {
		if err := appendIncident(ctx, s, sess, fmt.Sprintf("test %s %d", sess.User, i)); err != nil {
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
	users := []struct{ name, pw string }{{"o.martin", opPW}, {"rs.bernard", rsPW}, {"dpo.leroy", dpoPW}}
	var wg sync.WaitGroup
	errs := make([]error, len(users))
	outs := make([][]byte, len(users))
	for i, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), appendChildEnv+"="+f.dir, appendUserEnv+"="+u.name,
				appendPassEnv+"="+u.pw, appendCountEnv+"="+strconv.Itoa(n))
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
	// Each child also logged in once.
	if want := before + (len(users)+1)*n + len(users); after != want {
		t.Fatalf("%d entries, want %d", after, want)
	}
	rep := f.verify(VerifyOptions{})
	if rep.Entries != int64(after) {
		t.Fatalf("verified %d of %d", rep.Entries, after)
	}
}
