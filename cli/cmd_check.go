package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"mileo.tech/extract/account"
	"mileo.tech/extract/procedure"
)

// The final check of an anonymized export (R-ANON-2 rev.): `case check`
// lists what a person must still look at, `case settle` records that they
// looked and found nothing readable. A suspect that shows a face is
// covered in the review (`case review`) and the case exported again.

func runCaseCheck(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "case check")
	n, err := c.parseCase(args)
	if err != nil {
		return err
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		cs, err := st.Cases.Get(ctx, sess, n)
		if err != nil {
			return err
		}
		printPending(env, cs, true)
		return nil
	})
}

func runCaseSettle(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "case settle")
	file := c.fs.String("file", "", "the exported file (as `case check` names it)")
	id := c.fs.Int("suspect", 0, "the number of the item to mark checked")
	n, err := c.parseCase(args)
	if err != nil {
		return err
	}
	if *file == "" || *id <= 0 {
		return Usagef("--file and --suspect are required")
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		cs, err := st.Cases.Settle(ctx, sess, n, *file, *id)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, env.t("cli.check.settled", "File", *file, "ID", *id))
		printPending(env, cs, false)
		return nil
	})
}

// printPending says what the last export's final check still needs; all
// lists every item, else only the count.
func printPending(env *Env, cs *procedure.Case, all bool) {
	x := cs.LastExport()
	if x == nil || !x.Anonymized {
		fmt.Fprintln(env.Stdout, env.t("cli.check.no_anonymized", "Number", cs.Number))
		return
	}
	pend := x.Unsettled()
	if len(pend) == 0 {
		fmt.Fprintln(env.Stdout, env.t("cli.check.none"))
		return
	}
	fmt.Fprintln(env.Stdout, env.t("cli.check.pending", "Count", len(pend), "Number", cs.Number))
	if !all {
		return
	}
	for _, p := range pend {
		if p.Suspect == nil {
			fmt.Fprintln(env.Stdout, env.t("cli.check.not_run", "File", p.File, "Error", p.Error))
			continue
		}
		sp := p.Suspect
		box := fmt.Sprintf("%.0f,%.0f–%.0f,%.0f", sp.Box[0], sp.Box[1], sp.Box[2], sp.Box[3])
		fmt.Fprintln(env.Stdout, env.t("cli.check.suspect", "File", p.File, "ID", sp.ID, "From", sp.From, "To", sp.To,
			"Start", clipTime(sp.Start), "End", clipTime(sp.End), "Reason", env.t("check.reason."+strings.ReplaceAll(sp.Reason, " ", "_")), "Box", box))
	}
}

// clipTime is a time within a clip, as a video player shows it.
func clipTime(d time.Duration) string {
	d = d.Round(10 * time.Millisecond)
	return fmt.Sprintf("%d:%02d.%02d", int(d.Minutes()), int(d.Seconds())%60, (d.Milliseconds()/10)%100)
}
