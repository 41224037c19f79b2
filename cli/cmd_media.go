package cli

import (
	"context"
	"fmt"

	"mileo.tech/extract/account"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/retention"
)

func init() {
	Add(&Command{Name: "media", Summary: "inventory of the organisation's removable media (R-PRG-4)",
		Usage: "media add ID --type usb|dvd|hdd [--note N] --as NAME | destroy ID --method M --as NAME | list --as NAME",
		Run: group("media", map[string]subcommand{
			"add":     {runMediaAdd, "add ID --type usb|dvd|hdd [--note N] --as NAME"},
			"destroy": {runMediaDestroy, "destroy ID --method M --as NAME"},
			"list":    {runMediaList, "list --as NAME"},
		})})
}

func runMediaAdd(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "media add")
	typ := c.fs.String("type", "", "usb, dvd or hdd")
	note := c.fs.String("note", "", "description (model, capacity, seal number)")
	id, err := c.parseOne(args, "want one inventory id")
	if err != nil {
		return err
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		m, err := st.Media.Add(ctx, sess, id, *typ, *note)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, env.t("cli.media.added", "ID", m.ID, "Type", m.Type))
		return nil
	})
}

// runMediaDestroy records the physical destruction of a medium at the end
// of its life, by the person who did it.
func runMediaDestroy(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "media destroy")
	method := c.fs.String("method", "", "how it was destroyed (shredder, crusher…)")
	id, err := c.parseOne(args, "want one inventory id")
	if err != nil {
		return err
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		m, err := st.Media.Destroy(ctx, sess, id, *method)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, env.t("cli.media.destroyed", "ID", m.ID, "Method", m.Method))
		return nil
	})
}

var runMediaList = listing[*retention.Medium]{
	name: "media list",
	get: func(st *procedure.Store, ctx context.Context, sess *account.Session) ([]*retention.Medium, error) {
		return st.Media.List(ctx, sess)
	},
	header: "SUPPORT\tTYPE\tÉTAT\tDOSSIER\tINVENTORIÉ LE\tNOTE",
	row: func(st *procedure.Store, m *retention.Medium) []any {
		return []any{m.ID, m.Type, m.Status, dash(m.Case), localTime(st, m.Added), m.Note}
	},
}.run
