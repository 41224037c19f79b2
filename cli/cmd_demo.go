package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"mileo.tech/extract/account"
	"mileo.tech/extract/internal/passgen"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
)

func init() {
	Add(&Command{Name: "demo-register", Usage: "demo-register DEMO_DIR [--data DIR]",
		Summary: "create the demo register and its accounts beside a demo archive (once), then print them", Run: runDemoRegister})
}

// Demo accounts: one per role the procedure needs.
var demoAccounts = []struct {
	name     string
	fullName string
	role     register.Role
}{
	{"admin", "Paul Durand", register.RoleAdmin},
	{"operator", "Léa Moreau", register.RoleOperator},
	{"rs", "Karim Benali", register.RoleSecurityManager},
	{"dpo", "Claire Martin", register.RoleDPO},
}

// DemoUsersFile keeps the demo passwords, one account a line (user, role,
// password, separated by tabs), so that they can be shown again at the
// next start and read by scripts/run-demo.sh. Demo only: a real register
// never keeps a password.
const DemoUsersFile = "demo-users.txt"

// DemoDataDir is the data folder of the demo register kept beside the
// demo archive demoDir (gui --demo and demo-register).
func DemoDataDir(demoDir string) string {
	return filepath.Join(filepath.Dir(filepath.Clean(demoDir)), "demo-data")
}

// runDemoRegister makes the demo register of a demo archive for the
// headless demo (scripts/run-demo.sh), as `gui --demo` does: its accounts
// are created on first use and printed. The data folder is never
// $MILEO_DATA, so that a real register is not taken for the demo's.
func runDemoRegister(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("demo-register", env)
	data := fs.String("data", "", "data folder of the demo register (default: demo-data beside DEMO_DIR)")
	pos, err := Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return Usagef("want the demo archive's folder")
	}
	dir, err := filepath.Abs(pos[0])
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dir, "demo.json")); err != nil {
		return fmt.Errorf("%s is not a demo archive (create it with: mileo-extract demo %s): %w", dir, dir, err)
	}
	if *data == "" {
		*data = DemoDataDir(dir)
	}
	return withRegister(ctx, env, *data, func(st *procedure.Store) error {
		if err := DemoUsers(ctx, st, env.Stdout); err != nil {
			return err
		}
		if _, err := os.Stat(filepath.Join(st.Dir(), DemoUsersFile)); err != nil {
			return fmt.Errorf("%s holds a register that is not the demo's: %w", st.Dir(), err)
		}
		return nil
	})
}

// DemoUsers creates the demo register and its accounts through the
// register API on first start (random passwords), and prints the accounts.
func DemoUsers(ctx context.Context, store *procedure.Store, out io.Writer) error {
	path := filepath.Join(store.Dir(), DemoUsersFile)
	if !store.Initialized() {
		pw := map[string]string{}
		for _, acc := range demoAccounts {
			p, err := demoPassword(acc.name)
			if err != nil {
				return err
			}
			pw[acc.name] = p
		}
		if err := store.Accounts.Init(ctx, account.InitParams{Site: "Site de démonstration — Mileo Technology", Admin: "admin", FullName: demoAccounts[0].fullName, Password: pw["admin"]}); err != nil {
			return err
		}
		sess, err := store.Login(ctx, "admin", pw["admin"])
		if err != nil {
			return err
		}
		defer sess.Close()
		var b strings.Builder
		b.WriteString("# Mileo Extract demo accounts (demo register only: a real register never stores a password)\n")
		for _, acc := range demoAccounts {
			if acc.role != register.RoleAdmin {
				if err := demoAccount(ctx, store, sess, account.NewPerson{Name: acc.name, FullName: acc.fullName, Role: acc.role}, pw[acc.name]); err != nil {
					return err
				}
			}
			fmt.Fprintf(&b, "%s\t%s\t%s\n", acc.name, acc.role, pw[acc.name])
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
			return err
		}
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(out, "Demo register in %s (its accounts were not created by --demo: use yours)\n", store.Dir())
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Fprintf(out, "Mileo Extract — demo register in %s\nAccounts (user, role, password):\n", store.Dir())
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		p := strings.Split(line, "\t")
		if len(p) == 3 {
			fmt.Fprintf(out, "  %-9s %-17s %s\n", p[0], p[1], p[2])
		}
	}
	return sc.Err()
}

// demoPassword draws a password the register accepts for user.
// demoAccount creates a demo account the way a real one is made (R-KEY-1):
// the administrator gets a one-time password, and the person's first login
// with it sets their own password (here the demo's) and makes their key.
func demoAccount(ctx context.Context, store *procedure.Store, admin *account.Session, p account.NewPerson, pw string) error {
	name := p.Name
	_, otp, err := store.Accounts.AddPerson(ctx, admin, p)
	if err != nil {
		return err
	}
	sess, err := store.Accounts.Login(ctx, name, otp)
	if err != nil {
		return err
	}
	defer sess.Close()
	return store.Accounts.SetPassword(ctx, sess, pw)
}

func demoPassword(user string) (string, error) {
	for {
		p, err := passgen.Generate(16)
		if err != nil {
			return "", err
		}
		if account.CheckPasswordStrength(user, p) == nil {
			return p, nil
		}
	}
}
