package cli

import (
	"context"
	"fmt"

	"mileo.tech/extract/account"
	"mileo.tech/extract/procedure"
)

// The delegate's designation by the security manager (R-AUTH-1): the admin
// creates the account with the delegate role; only this signed designation
// lets it decide, and only when the security manager is unavailable
// (`case standin`).

func init() {
	Add(&Command{Name: "delegate", Summary: "the security manager designates or revokes the delegate (R-AUTH-1)",
		Usage: "delegate designate NAME --as RS | revoke NAME --as RS | list --as NAME",
		Run: group("delegate", map[string]subcommand{
			"designate": {runDelegate(true), "designate NAME --as NAME"},
			"revoke":    {runDelegate(false), "revoke NAME --as NAME"},
			"list":      {runDelegateList, "list --as NAME"},
		})})
}

func runDelegate(designate bool) func(ctx context.Context, env *Env, args []string) error {
	return func(ctx context.Context, env *Env, args []string) error {
		name := "delegate revoke"
		if designate {
			name = "delegate designate"
		}
		c := newRegCmd(env, name)
		user, err := c.parseOne(args, "want one account name")
		if err != nil {
			return err
		}
		return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
			if designate {
				if err := st.Delegates.Designate(ctx, sess, user); err != nil {
					return err
				}
				fmt.Fprintln(env.Stdout, env.t("cli.delegate.designated", "User", user))
				return nil
			}
			if err := st.Delegates.Revoke(ctx, sess, user); err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, env.t("cli.delegate.revoked", "User", user))
			return nil
		})
	}
}

func runDelegateList(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "delegate list")
	if _, err := c.parse(args); err != nil {
		return err
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		ds, err := st.Delegates.List(ctx, sess)
		if err != nil {
			return err
		}
		if len(ds) == 0 {
			fmt.Fprintln(env.Stdout, env.t("cli.delegate.none"))
		}
		for _, d := range ds {
			fmt.Fprintln(env.Stdout, env.t("cli.delegate.line", "User", d.User, "By", d.By, "Date", localTime(st, d.At)))
		}
		return nil
	})
}
