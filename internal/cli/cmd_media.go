package cli

import (
	"context"
	"fmt"
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
	fs := NewFlags("media add", env)
	rf := addRegFlags(fs)
	typ := fs.String("type", "", "usb, dvd or hdd")
	note := fs.String("note", "", "description (model, capacity, seal number)")
	pos, err := Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return Usagef("want one inventory id")
	}
	st, sess, err := login(ctx, env, rf)
	if err != nil {
		return err
	}
	defer st.Close()
	m, err := st.AddMedium(ctx, sess, pos[0], *typ, *note)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "support %s (%s) inventorié\n", m.ID, m.Type)
	return nil
}

// runMediaDestroy records the physical destruction of a medium at the end
// of its life, by the person who did it.
func runMediaDestroy(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("media destroy", env)
	rf := addRegFlags(fs)
	method := fs.String("method", "", "how it was destroyed (shredder, crusher…)")
	pos, err := Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return Usagef("want one inventory id")
	}
	st, sess, err := login(ctx, env, rf)
	if err != nil {
		return err
	}
	defer st.Close()
	m, err := st.DestroyMedium(ctx, sess, pos[0], *method)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "destruction du support %s consignée (%s)\n", m.ID, m.Method)
	return nil
}

func runMediaList(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("media list", env)
	rf := addRegFlags(fs)
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	st, sess, err := login(ctx, env, rf)
	if err != nil {
		return err
	}
	defer st.Close()
	ms, err := st.Media(ctx, sess)
	if err != nil {
		return err
	}
	w := table(env.Stdout)
	fmt.Fprintln(w, "SUPPORT\tTYPE\tÉTAT\tDOSSIER\tINVENTORIÉ LE\tNOTE")
	for _, m := range ms {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", m.ID, m.Type, m.Status, dash(m.Case), localTime(st, m.Added), m.Note)
	}
	return w.Flush()
}
