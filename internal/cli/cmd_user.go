package cli

import (
	"context"
	"fmt"

	"mileo.tech/extract/register"
)

func init() {
	Add(&Command{Name: "init", Usage: "init --admin NAME --site \"Site name\" [--data DIR]",
		Summary: "create the register and its administrator account (password from MILEO_PASSWORD or the terminal)",
		Run:     runInit})
	Add(&Command{Name: "user", Summary: "manage user accounts (administrator)",
		Usage: "user add NAME --role ROLE --as ADMIN | list --as NAME | disable NAME --reason R --as ADMIN | unlock NAME --as ADMIN",
		Run: group("user", map[string]subcommand{
			"add":     {runUserAdd, "add NAME --role operator|security_manager|delegate|dpo|admin --as ADMIN"},
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
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	if *admin == "" || *site == "" {
		return Usagef("--admin NAME and --site NAME are required")
	}
	if err := register.CheckUserName(*admin); err != nil {
		return err
	}
	st, err := openRegister(ctx, env, *data)
	if err != nil {
		return err
	}
	defer st.Close()
	if st.Initialized() {
		return fmt.Errorf("the register in %s is already initialized", st.Dir())
	}
	pw, err := newPassword(env, "MILEO_PASSWORD", *admin)
	if err != nil {
		return err
	}
	if err := st.Init(ctx, register.InitParams{Site: *site, Admin: *admin, Password: pw}); err != nil {
		return err
	}
	vkey, _ := st.VerifierKey()
	fmt.Fprintf(env.Stdout, "registre créé dans %s\nadministrateur : %s\nclé du site (à conserver sur papier) : %s\n", st.Dir(), *admin, vkey)
	return nil
}

func runUserAdd(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("user add", env)
	rf := addRegFlags(fs)
	role := fs.String("role", "", "operator, security_manager, delegate, dpo or admin")
	pos, err := Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return Usagef("want one user name")
	}
	r, err := register.ParseRole(*role)
	if err != nil {
		return err
	}
	if err := register.CheckUserName(pos[0]); err != nil {
		return err
	}
	st, sess, err := login(ctx, env, rf)
	if err != nil {
		return err
	}
	defer st.Close()
	pw, err := newPassword(env, "MILEO_NEW_PASSWORD", pos[0])
	if err != nil {
		return err
	}
	u, err := st.AddUser(ctx, sess, pos[0], r, pw)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "compte %s créé (%s), clé de signature %s\n", u.Name, u.Role.Title(), register.FormatFingerprint(u.Fingerprint))
	return nil
}

func runUserList(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("user list", env)
	rf := addRegFlags(fs)
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	st, sess, err := login(ctx, env, rf)
	if err != nil {
		return err
	}
	defer st.Close()
	users, err := st.Users(ctx, sess)
	if err != nil {
		return err
	}
	w := table(env.Stdout)
	fmt.Fprintln(w, "COMPTE\tRÔLE\tÉTAT\tCLÉ\tCRÉÉ LE")
	for _, u := range users {
		state := "actif"
		switch {
		case u.Disabled:
			state = "désactivé"
		case !u.LockedUntil.IsZero():
			state = "verrouillé jusqu'à " + u.LockedUntil.In(st.Location()).Format("15:04")
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role, state, register.FormatFingerprint(u.Fingerprint), localTime(st, u.Created))
	}
	return w.Flush()
}

func runUserDisable(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("user disable", env)
	rf := addRegFlags(fs)
	reason := fs.String("reason", "", "why the account is disabled")
	pos, err := Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return Usagef("want one user name")
	}
	st, sess, err := login(ctx, env, rf)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.DisableUser(ctx, sess, pos[0], *reason); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "compte %s désactivé\n", pos[0])
	return nil
}

func runUserUnlock(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("user unlock", env)
	rf := addRegFlags(fs)
	pos, err := Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return Usagef("want one user name")
	}
	st, sess, err := login(ctx, env, rf)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.UnlockUser(ctx, sess, pos[0]); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "compte %s déverrouillé\n", pos[0])
	return nil
}
