package cli

import (
	"context"
	"fmt"

	"mileo.tech/extract/account"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/siteconfig"
)

// The site's record of processing activities (GDPR art. 30, R-REG-5 rev.):
// the DPO states it once; every export copies it into its own entry.

func init() {
	Add(&Command{Name: "records", Summary: "the site's record of processing (GDPR art. 30), stated by the DPO",
		Usage: "records show --as NAME | set KEY TEXT --as DPO",
		Run: group("records", map[string]subcommand{
			"show": {runRecordsShow, "show --as NAME"},
			"set":  {runRecordsSet, "set KEY TEXT --as NAME (an empty TEXT restores the default)"},
		})})
}

func runRecordsShow(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "records show")
	if _, err := c.parse(args); err != nil {
		return err
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		rec, err := st.Settings.Record(ctx, env.catalog().Lang())
		if err != nil {
			return err
		}
		for _, k := range siteconfig.RecordKeys {
			key := "cli.records.line"
			if rec.Default[k] {
				key = "cli.records.line_default"
			}
			fmt.Fprintln(env.Stdout, env.t(key, "Key", k, "Heading", env.t(k), "Text", rec.Get(k)))
		}
		return nil
	})
}

func runRecordsSet(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "records set")
	pos, err := c.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return Usagef("records set KEY TEXT: want a heading and its text (quoted)")
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		if err := st.Settings.SetRecord(ctx, sess, pos[0], pos[1]); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, env.t("cli.records.set", "Key", pos[0]))
		return nil
	})
}
