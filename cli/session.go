package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"mileo.tech/extract/account"
	"mileo.tech/extract/internal/version"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
)

// regFlags are the flags every register command shares.
type regFlags struct {
	data *string
	as   *string
}

func addRegFlags(fs *flag.FlagSet) regFlags {
	return regFlags{
		data: fs.String("data", "", "data folder (default $MILEO_DATA or the user data folder)"),
		as:   fs.String("as", "", "user name of the person acting"),
	}
}

// regCmd is a register command being run as the --as user: its flag set,
// which holds --data and --as and the command's own flags.
type regCmd struct {
	env *Env
	fs  *flag.FlagSet
	rf  regFlags
}

// newRegCmd starts the flags of the register command name, e.g. "user add".
func newRegCmd(env *Env, name string) *regCmd {
	fs := NewFlags(name, env)
	return &regCmd{env: env, fs: fs, rf: addRegFlags(fs)}
}

// parse parses args and returns the positional arguments.
func (c *regCmd) parse(args []string) ([]string, error) { return Parse(c.fs, args) }

// parseOne parses args, which must hold exactly one positional argument;
// otherwise it returns the usage error want.
func (c *regCmd) parseOne(args []string, want string) (string, error) {
	pos, err := Parse(c.fs, args)
	if err != nil {
		return "", err
	}
	if len(pos) != 1 {
		return "", Usagef("%s", want)
	}
	return pos[0], nil
}

// asUser logs the --as user in, runs do on the open register and closes
// it.
func (c *regCmd) asUser(ctx context.Context, do func(st *procedure.Store, sess *account.Session) error) error {
	st, sess, err := login(ctx, c.env, c.rf)
	if err != nil {
		return err
	}
	defer st.Close()
	return do(st, sess)
}

// withRegister opens the register of the data folder (the --data flag's
// value, or the default), runs do and closes it: for the commands that
// need no login.
func withRegister(ctx context.Context, env *Env, data string, do func(st *procedure.Store) error) error {
	st, err := openRegister(ctx, env, data)
	if err != nil {
		return err
	}
	defer st.Close()
	return do(st)
}

// openRegister opens the register of the data folder and crypto-erases the
// working folders of crashed jobs (recorded in the register).
func openRegister(ctx context.Context, env *Env, data string) (*procedure.Store, error) {
	st, err := procedure.Open(ctx, DataDir(env, data), register.Options{Now: env.Now, Software: version.Version, WitnessDir: env.Getenv("MILEO_WITNESS"), URL: RegisterURL(env)})
	if err != nil {
		return nil, err
	}
	if erased, err := st.Purges.SweepWorkdirs(ctx); err != nil {
		fmt.Fprintln(env.Stderr, env.t("cli.sweep.failed", "Error", errText(env.catalog(), err)))
	} else if len(erased) > 0 {
		fmt.Fprintln(env.Stderr, env.t("cli.sweep.erased", "N", len(erased)))
	}
	return st, nil
}

// password reads a password from $MILEO_PASSWORD or the terminal.
func password(env *Env, variable, prompt string) (string, error) {
	if pw := env.Getenv(variable); pw != "" {
		return pw, nil
	}
	if env.ReadPassword == nil {
		return "", fmt.Errorf("no terminal to read the password from: set %s", variable)
	}
	return env.ReadPassword(prompt)
}

// newPassword reads a new password from variable or twice from the
// terminal.
func newPassword(env *Env, variable, who string) (string, error) {
	if pw := env.Getenv(variable); pw != "" {
		return pw, nil
	}
	if env.ReadPassword == nil {
		return "", fmt.Errorf("no terminal to read the new password from: set %s", variable)
	}
	pw, err := env.ReadPassword(fmt.Sprintf("Nouveau mot de passe de %s : ", who))
	if err != nil {
		return "", err
	}
	again, err := env.ReadPassword("Confirmez le mot de passe : ")
	if err != nil {
		return "", err
	}
	if pw != again {
		return "", errors.New("the two passwords differ")
	}
	return pw, nil
}

// login opens the register and logs the --as user in. Overdue purges are
// shown to everyone (R-PRG-2).
func login(ctx context.Context, env *Env, f regFlags) (*procedure.Store, *account.Session, error) {
	if *f.as == "" {
		return nil, nil, Usagef("--as NAME is required: every action is signed by the person who takes it")
	}
	st, err := openRegister(ctx, env, *f.data)
	if err != nil {
		return nil, nil, err
	}
	pw, err := password(env, "MILEO_PASSWORD", fmt.Sprintf("Mot de passe de %s : ", *f.as))
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	sess, err := st.Login(ctx, *f.as, pw)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	if overdue, err := st.Purges.CheckOverdue(ctx); err == nil && len(overdue) > 0 {
		fmt.Fprintln(env.Stderr, env.t("cli.purge.overdue", "N", len(overdue)))
	}
	return st, sess, nil
}
