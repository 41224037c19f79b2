package cli

import (
	"context"
	"fmt"

	"mileo.tech/extract/account"
	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
)

func init() {
	Add(&Command{Name: "init", Usage: "init --admin NAME --site \"Site name\" [--data DIR]",
		Summary: "create the register and its administrator account (password from MILEO_PASSWORD or the terminal)",
		Run:     runInit})
	Add(&Command{Name: "user", Summary: "manage user accounts (administrator)",
		Usage: "user add NAME --role ROLE --as ADMIN | passwd --as NAME | reset NAME --as ADMIN | list --as NAME | disable NAME --reason R --as ADMIN | unlock NAME --as ADMIN",
		Run: group("user", map[string]subcommand{
			"add":     {runUserAdd, "add NAME --role operator|security_manager|delegate|dpo|admin --as ADMIN"},
			"passwd":  {runUserPasswd, "passwd --as NAME (current or one-time password from MILEO_PASSWORD, new one from MILEO_NEW_PASSWORD or the terminal)"},
			"reset":   {runUserReset, "reset NAME --as ADMIN"},
			"list":    {runUserList, "list --as NAME"},
			"disable": {runUserDisable, "disable NAME --reason R --as ADMIN"},
			"unlock":  {runUserUnlock, "unlock NAME --as ADMIN"},
		})})
}

// runInit creates the register. The administrator's password is never a
// default: it comes from MILEO_PASSWORD or is typed twice, and weak ones
// are refused.
func runInit(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("init", env)
	data := fs.String("data", "", "data folder")
	admin := fs.String("admin", "", "user name of the administrator")
	site := fs.String("site", "", "name of the site, printed on every document")
	fullName := fs.String("full-name", "", "the administrator's first and last name, printed on documents")
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	if *admin == "" || *site == "" {
		return Usagef("--admin NAME and --site NAME are required")
	}
	if err := account.CheckUserName(*admin); err != nil {
		return err
	}
	return withRegister(ctx, env, *data, func(st *procedure.Store) error {
		if st.Initialized() {
			return fmt.Errorf("the register in %s is already initialized", st.Dir())
		}
		pw, err := newPassword(env, "MILEO_PASSWORD", *admin)
		if err != nil {
			return err
		}
		if err := st.Accounts.Init(ctx, account.InitParams{Site: *site, Admin: *admin, FullName: *fullName, Password: pw}); err != nil {
			return err
		}
		vkey, _ := st.VerifierKey()
		fmt.Fprintln(env.Stdout, env.t("cli.init.done", "Dir", st.Dir(), "Admin", *admin, "Key", vkey))
		return nil
	})
}

func runUserAdd(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "user add")
	role := c.fs.String("role", "", "operator, security_manager, delegate, dpo or admin")
	fullName := c.fs.String("full-name", "", "the person's first and last name, printed on documents")
	name, err := c.parseOne(args, "want one user name")
	if err != nil {
		return err
	}
	r, err := register.ParseRole(*role)
	if err != nil {
		return err
	}
	if err := account.CheckUserName(name); err != nil {
		return err
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		u, otp, err := st.Accounts.AddPerson(ctx, sess, account.NewPerson{Name: name, FullName: *fullName, Role: r})
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, env.t("cli.user.added", "Name", u.Name, "Role", i18n.Key("role."+string(u.Role))))
		fmt.Fprintln(env.Stdout, env.t("cli.user.one_time", "Name", u.Name, "Password", otp))
		return nil
	})
}

// runUserReset gives an account a new one-time password and revokes its
// key (R-KEY-1).
func runUserReset(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "user reset")
	name, err := c.parseOne(args, "want one user name")
	if err != nil {
		return err
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		otp, err := st.Accounts.ResetUser(ctx, sess, name)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, env.t("cli.user.reset", "Name", name))
		fmt.Fprintln(env.Stdout, env.t("cli.user.one_time", "Name", name, "Password", otp))
		return nil
	})
}

// runUserPasswd changes the --as user's own password: logged in with their
// current password, or at their first login with the one-time password,
// where their signing key is made (R-KEY-1).
func runUserPasswd(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "user passwd")
	if pos, err := c.parse(args); err != nil {
		return err
	} else if len(pos) != 0 {
		return Usagef("user passwd changes your own password: --as NAME only")
	}
	if *c.rf.as == "" {
		return Usagef("--as NAME is required: every action is signed by the person who takes it")
	}
	st, err := openRegister(ctx, env, *c.rf.data)
	if err != nil {
		return err
	}
	defer st.Close()
	current, err := password(env, "MILEO_PASSWORD", fmt.Sprintf("Mot de passe actuel (ou à usage unique) de %s : ", *c.rf.as))
	if err != nil {
		return err
	}
	sess, err := st.Login(ctx, *c.rf.as, current)
	if err != nil {
		return err
	}
	defer sess.Close()
	next, err := newPassword(env, "MILEO_NEW_PASSWORD", *c.rf.as)
	if err != nil {
		return err
	}
	if sess.OneTime() {
		if err := st.Accounts.SetPassword(ctx, sess, next); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, env.t("cli.user.first_password", "Name", sess.User, "Key", register.FormatFingerprint(sess.Fingerprint)))
		return nil
	}
	if err := st.Accounts.ChangePassword(ctx, sess, current, next); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, env.t("cli.user.password_changed", "Name", sess.User))
	return nil
}

var runUserList = listing[account.User]{
	name: "user list",
	get: func(st *procedure.Store, ctx context.Context, sess *account.Session) ([]account.User, error) {
		return st.Accounts.Users(ctx, sess)
	},
	header: "COMPTE\tNOM\tRÔLE\tÉTAT\tCLÉ\tCRÉÉ LE",
	row: func(st *procedure.Store, u account.User) []any {
		state := "actif"
		switch {
		case u.Disabled:
			state = "désactivé"
		case u.OneTime:
			state = "en attente de son mot de passe"
		case !u.LockedUntil.IsZero():
			state = "verrouillé jusqu'à " + u.LockedUntil.In(st.Location()).Format("15:04")
		}
		return []any{u.Name, u.FullName, u.Role, state, register.FormatFingerprint(u.Fingerprint), localTime(st, u.Created)}
	},
}.run

func runUserDisable(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "user disable")
	reason := c.fs.String("reason", "", "why the account is disabled")
	name, err := c.parseOne(args, "want one user name")
	if err != nil {
		return err
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		if err := st.Accounts.DisableUser(ctx, sess, name, *reason); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, env.t("cli.user.disabled", "Name", name))
		return nil
	})
}

func runUserUnlock(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "user unlock")
	name, err := c.parseOne(args, "want one user name")
	if err != nil {
		return err
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		if err := st.Accounts.UnlockUser(ctx, sess, name); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, env.t("cli.user.unlocked", "Name", name))
		return nil
	})
}
