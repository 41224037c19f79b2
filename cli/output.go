package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"mileo.tech/extract/account"
	"mileo.tech/extract/procedure"
)

func localTime(st *procedure.Store, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(st.Location()).Format("02/01/2006 15:04:05 MST")
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func table(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 4, 2, ' ', 0) }

// printTable prints header (columns separated by tabs) and one row per
// item, in aligned columns; each cell is printed as by fmt.Print.
func printTable[T any](w io.Writer, header string, items []T, row func(T) []any) error {
	tw := table(w)
	fmt.Fprintln(tw, header)
	for _, it := range items {
		for i, cell := range row(it) {
			if i > 0 {
				io.WriteString(tw, "\t")
			}
			fmt.Fprint(tw, cell)
		}
		io.WriteString(tw, "\n")
	}
	return tw.Flush()
}

// listing is a sub-command that prints a table of the register's items to
// the --as user.
type listing[T any] struct {
	name   string // e.g. "user list"
	get    func(st *procedure.Store, ctx context.Context, sess *account.Session) ([]T, error)
	header string
	row    func(st *procedure.Store, item T) []any
}

func (l listing[T]) run(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, l.name)
	if _, err := c.parse(args); err != nil {
		return err
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		items, err := l.get(st, ctx, sess)
		if err != nil {
			return err
		}
		return printTable(env.Stdout, l.header, items, func(it T) []any { return l.row(st, it) })
	})
}

// writePDF writes a document to path, removing it if rendering fails.
func writePDF(path string, render func(w io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil { // a file written over keeps its mode
		f.Close()
		return err
	}
	if err := render(f); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}
