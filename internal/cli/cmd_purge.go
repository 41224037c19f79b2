package cli

import (
	"context"
	"fmt"
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
	fs := NewFlags("purge due", env)
	rf := addRegFlags(fs)
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	st, sess, err := login(ctx, env, rf)
	if err != nil {
		return err
	}
	defer st.Close()
	due, err := st.PurgesDue(ctx, sess)
	if err != nil {
		return err
	}
	if len(due) == 0 {
		fmt.Fprintln(env.Stdout, "aucune copie temporaire à purger")
		return nil
	}
	now := st.Now()
	w := table(env.Stdout)
	fmt.Fprintln(w, "COPIE\tDOSSIER\tTYPE\tÉCHÉANCE\tÉTAT\tEMPLACEMENT")
	for _, c := range due {
		state := "à purger"
		if c.Overdue(now) {
			state = "EN RETARD (incident)"
		}
		loc := c.Location
		if c.MediaID != "" {
			loc = "support " + c.MediaID
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, dash(c.Case), c.Kind, localTime(st, c.Deadline), state, loc)
	}
	return w.Flush()
}

// runPurgeDeclare records a purge done by hand by the person who did it.
func runPurgeDeclare(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("purge declare", env)
	rf := addRegFlags(fs)
	method := fs.String("method", "", "overwrite, format or destroy (physical destruction)")
	pos, err := Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return Usagef("want one copy id (see purge due)")
	}
	st, sess, err := login(ctx, env, rf)
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := st.DeclarePurge(ctx, sess, pos[0], *method)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "purge de %s (%s) consignée par %s\n", c.ID, c.Purge.Method, c.Purge.By)
	return nil
}

// runPurgeRun purges an export folder the program controls, and checks it.
func runPurgeRun(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("purge run", env)
	rf := addRegFlags(fs)
	pos, err := Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return Usagef("want one copy id (see purge due)")
	}
	st, sess, err := login(ctx, env, rf)
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := st.PurgeFiles(ctx, sess, pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s purgée : %d fichier(s) écrasé(s) puis supprimé(s), absence vérifiée\n", c.ID, c.Purge.Files)
	return nil
}
