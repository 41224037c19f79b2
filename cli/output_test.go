package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// printTable prints what the commands printed by hand before it: a
// tabwriter with the header and one Fprintf line per row.
func TestPrintTable(t *testing.T) {
	type row struct {
		id   string
		n    int64
		when time.Time
	}
	tests := []struct {
		name string
		rows []row
	}{
		{"none", nil},
		{"one", []row{{"USB-7", 1, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}}},
		{"wide and empty cells", []row{{"a-much-longer-identifier", 12345, time.Time{}}, {"", 0, time.Time{}}}},
	}
	const header = "SUPPORT\tN°\tDATE"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want, got bytes.Buffer
			w := table(&want)
			fmt.Fprintln(w, header)
			for _, r := range tt.rows {
				fmt.Fprintf(w, "%s\t%d\t%s\n", dash(r.id), r.n, r.when.Format(time.RFC3339))
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			err := printTable(&got, header, tt.rows, func(r row) []any {
				return []any{dash(r.id), r.n, r.when.Format(time.RFC3339)}
			})
			if err != nil || got.String() != want.String() {
				t.Errorf("printTable: %v\n%s\nwant\n%s", err, got.String(), want.String())
			}
		})
	}
}

func TestGroup(t *testing.T) {
	var ran []string
	sub := func(name string, err error) subcommand {
		return subcommand{func(ctx context.Context, env *Env, args []string) error {
			ran = append(ran, name+" "+strings.Join(args, " "))
			return err
		}, name + " ARG"}
	}
	run := group("thing", map[string]subcommand{
		"add":  sub("add", nil),
		"bad":  sub("bad", Usagef("want one ARG")),
		"fail": sub("fail", errors.New("refused")),
	})
	tests := []struct {
		args    []string
		wantErr string // "" for none
		usage   bool
		ran     string
	}{
		{[]string{"add", "x", "--as", "y"}, "", false, "add x --as y"},
		{nil, "thing needs one of: add, bad, fail", true, ""},
		{[]string{"rename"}, `thing has no "rename": use one of add, bad, fail`, true, ""},
		{[]string{"bad"}, "want one ARG (mileo-extract thing bad ARG)", true, "bad "},
		{[]string{"fail"}, "refused", false, "fail "},
	}
	for _, tt := range tests {
		ran = nil
		err := run(context.Background(), &Env{}, tt.args)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%v: %v", tt.args, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%v: err = %v, want %q", tt.args, err, tt.wantErr)
		case errors.Is(err, ErrUsage) != tt.usage:
			t.Errorf("%v: usage error %v, want %v", tt.args, errors.Is(err, ErrUsage), tt.usage)
		}
		if got := strings.Join(ran, ";"); got != tt.ran {
			t.Errorf("%v: ran %q, want %q", tt.args, got, tt.ran)
		}
	}
}

func TestRegCmdParseOne(t *testing.T) {
	tests := []struct {
		args    []string
		want    string
		wantErr bool
	}{
		{[]string{"USB-7", "--as", "op"}, "USB-7", false},
		{[]string{"--as", "op", "USB-7"}, "USB-7", false},
		{[]string{"--as", "op"}, "", true},
		{[]string{"A", "B"}, "", true},
		{[]string{"A", "--nope"}, "", true},
	}
	for _, tt := range tests {
		env := &Env{Stderr: &bytes.Buffer{}}
		c := newRegCmd(env, "media add")
		got, err := c.parseOne(tt.args, "want one inventory id")
		if tt.wantErr {
			if !errors.Is(err, ErrUsage) {
				t.Errorf("%v: err = %v, want a usage error", tt.args, err)
			}
			continue
		}
		if err != nil || got != tt.want || *c.rf.as != "op" {
			t.Errorf("%v: %q, %v, --as %q", tt.args, got, err, *c.rf.as)
		}
	}
}
