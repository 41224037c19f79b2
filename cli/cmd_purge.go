package cli

import (
	"context"
	"fmt"

	"mileo.tech/extract/account"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/retention"
)

func init() {
	Add(&Command{Name: "purge", Summary: "temporary copies: deadlines and purges (R-PRG)",
		Usage: "purge due --as NAME | declare COPY --method overwrite|format|destroy --as NAME | run COPY --as NAME",
		Run: group("purge", map[string]subcommand{
			"due":     {runPurgeDue, "due --as NAME"},
			"declare": {runPurgeDeclare, "declare COPY --method overwrite|format|destroy --as NAME"},
			"run":     {runPurgeRun, "run COPY --as NAME"},
		})})
}

// runPurgeDue lists the copies still to purge; everyone may see them, and
// overdue ones are incidents (R-PRG-2).
func runPurgeDue(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "purge due")
	if _, err := c.parse(args); err != nil {
		return err
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		due, err := st.Purges.Due(ctx, sess)
		if err != nil {
			return err
		}
		if len(due) == 0 {
			fmt.Fprintln(env.Stdout, env.t("cli.purge.none"))
			return nil
		}
		now := st.Now()
		return printTable(env.Stdout, "COPIE\tDOSSIER\tTYPE\tÉCHÉANCE\tÉTAT\tPOSTE\tEMPLACEMENT", due, func(c *retention.Copy) []any {
			state := "à purger"
			if c.Overdue(now) {
				state = "EN RETARD (incident)"
			}
			loc := c.Location
			if c.MediaID != "" {
				loc = "support " + c.MediaID
			}
			return []any{c.ID, dash(c.Case), c.Kind, localTime(st, c.Deadline), state, dash(c.Workstation), loc}
		})
	})
}

// runPurgeDeclare records a purge done by hand by the person who did it.
func runPurgeDeclare(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "purge declare")
	method := c.fs.String("method", "", "overwrite, format or destroy (physical destruction)")
	id, err := c.parseOne(args, "want one copy id (see purge due)")
	if err != nil {
		return err
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		cp, err := st.Purges.Declare(ctx, sess, id, *method)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, env.t("cli.purge.declared", "ID", cp.ID, "Method", cp.Purge.Method, "By", cp.Purge.By))
		return nil
	})
}

// runPurgeRun purges an export folder the program controls, and checks it.
func runPurgeRun(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "purge run")
	id, err := c.parseOne(args, "want one copy id (see purge due)")
	if err != nil {
		return err
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		cp, err := st.Purges.Files(ctx, sess, id)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, env.t("cli.purge.files", "ID", cp.ID, "Files", cp.Purge.Files))
		return nil
	})
}
