// Command mileo-extract extracts, anonymizes, encrypts and hands over CCTV
// clips under French GDPR/CNIL rules, and keeps the extraction register.
//
// Without arguments it starts the desktop application; with a command it
// runs headless (see mileo-extract help).
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"mileo.tech/extract/account"
	"mileo.tech/extract/cli"
	"mileo.tech/extract/internal/passgen"
	_ "mileo.tech/extract/internal/plainlocale" // before Fyne reads the locale
	"mileo.tech/extract/internal/version"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/ui"
	"mileo.tech/extract/vms/connect"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Decoded pictures make most of the heap during an export or an
	// anonymization (over 100 MB at 1080p): collecting once the heap grew
	// by 30 % instead of 100 % keeps the peak near what is live (−60 MB)
	// for little work, since pictures hold no pointers to scan.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(30)
	}
	args := os.Args[1:]
	if len(args) == 0 || args[0] == "gui" {
		os.Exit(runGUI(ctx, args))
	}
	os.Exit(cli.Main(ctx, cli.OSEnv(), args))
}

const appID = "tech.mileo.extract"

// runGUI starts the desktop application:
//
//	mileo-extract [gui] [--data DIR] [--source ADDR] [--lang fr|en] [--model FILE]
//	mileo-extract gui --demo DIR    # the demo archive, a demo register and demo users
//	mileo-extract gui --check       # exit 0 when a window can be opened
func runGUI(ctx context.Context, args []string) int {
	if len(args) > 0 && args[0] == "gui" {
		args = args[1:]
	}
	fs := flag.NewFlagSet("gui", flag.ContinueOnError)
	demo := fs.String("demo", "", "demo VMS archive folder (a demo register is kept beside it, in demo-data)")
	check := fs.Bool("check", false, "exit 0 if a window can be opened on this display")
	data := fs.String("data", "", "data folder (default $MILEO_DATA or ~/.local/share/mileo-extract)")
	source := fs.String("source", "", "VMS source address, e.g. folder:/srv/recordings")
	lang := fs.String("lang", "", "language of the window: fr or en")
	model := fs.String("model", "", "face detector model file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *check {
		return checkDisplay()
	}

	a := app.NewWithID(appID)
	if a.Metadata().ID == "" || a.Metadata().Name == "" {
		// Built with go build rather than fyne package: give Fyne what
		// FyneApp.toml says.
		app.SetMetadata(fyne.AppMetadata{ID: appID, Name: version.Name, Version: version.Version, Icon: ui.Icon(),
			Migrations: map[string]bool{"fyneDo": true}})
	}
	a.SetIcon(ui.Icon())

	env := cli.OSEnv()
	dataDir := *data
	if dataDir == "" && env.Getenv("MILEO_DATA") == "" {
		dataDir = ui.SavedDataDir(a)
	}
	dataDir = cli.DataDir(env, dataDir)
	var sources []string
	if *source != "" {
		sources = append(sources, *source)
	}
	if *demo != "" {
		dir, err := filepath.Abs(*demo)
		if err != nil {
			fmt.Fprintln(os.Stderr, "mileo-extract:", err)
			return 2
		}
		if _, err := os.Stat(dir); err != nil {
			fmt.Fprintf(os.Stderr, "mileo-extract: demo archive %s: %v (create it with: mileo-extract demo %s)\n", dir, err, dir)
			return 2
		}
		sources = append(sources, "folder:"+dir)
		if *data == "" {
			dataDir = filepath.Join(filepath.Dir(dir), "demo-data")
		}
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		fmt.Fprintln(os.Stderr, "mileo-extract:", err)
		return 1
	}
	store, err := procedure.Open(ctx, dataDir, register.Options{Software: version.String(), WitnessDir: os.Getenv("MILEO_WITNESS")})
	if err != nil {
		fmt.Fprintln(os.Stderr, "mileo-extract:", err)
		return 1
	}
	defer store.Close()
	// Working folders left by a crashed job are crypto-erased and recorded
	// (R-PRG-3) before anything else runs.
	if erased, err := store.Purges.SweepWorkdirs(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "mileo-extract: erase leftover working folders:", err)
	} else if len(erased) > 0 {
		fmt.Fprintf(os.Stderr, "mileo-extract: %d leftover working folder(s) erased (recorded in the register)\n", len(erased))
	}
	if *demo != "" {
		if err := demoUsers(ctx, store, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "mileo-extract: demo users:", err)
			return 1
		}
	}

	w := a.NewWindow(version.Name)
	w.SetIcon(ui.Icon())
	w.Resize(fyne.NewSize(1280, 800))
	w.SetMaster()
	u := ui.New(a, w, ui.Deps{
		Store:      store,
		OpenSource: connect.Open,
		Sources:    sources,
		DataDir:    dataDir,
		Lang:       *lang,
		ModelPath:  *model,
	})
	go func() {
		<-ctx.Done() // Ctrl-C in the terminal closes the window
		fyne.Do(a.Quit)
	}()
	w.ShowAndRun()
	u.Close()
	return 0
}

// checkDisplay opens a window and closes it at once: exit 0 when the
// display works, 1 otherwise (scripts/run-demo.sh falls back to the
// headless demo).
func checkDisplay() int {
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		fmt.Fprintln(os.Stderr, "mileo-extract: no display (DISPLAY and WAYLAND_DISPLAY are empty)")
		return 1
	}
	// A display that accepts the connection but never answers must not
	// hang the caller.
	watchdog := time.AfterFunc(20*time.Second, func() {
		fmt.Fprintln(os.Stderr, "mileo-extract: the display did not answer")
		os.Exit(1)
	})
	defer watchdog.Stop()
	a := app.NewWithID(appID)
	app.SetMetadata(fyne.AppMetadata{ID: appID, Name: version.Name, Migrations: map[string]bool{"fyneDo": true}})
	w := a.NewWindow(version.Name)
	w.Resize(fyne.NewSize(64, 64))
	a.Lifecycle().SetOnStarted(func() { go fyne.Do(a.Quit) })
	w.ShowAndRun()
	return 0
}

// Demo accounts: one per role the procedure needs.
var demoAccounts = []struct {
	name string
	role register.Role
}{
	{"admin", register.RoleAdmin},
	{"operator", register.RoleOperator},
	{"rs", register.RoleSecurityManager},
	{"dpo", register.RoleDPO},
}

// demoUsersFile keeps the demo passwords so that they can be shown again at
// the next start. Demo only: a real register never keeps a password.
const demoUsersFile = "demo-users.txt"

// demoUsers creates the demo register and its accounts through the
// register API on first start (random passwords), and prints the accounts.
func demoUsers(ctx context.Context, store *procedure.Store, out io.Writer) error {
	path := filepath.Join(store.Dir(), demoUsersFile)
	if !store.Initialized() {
		pw := map[string]string{}
		for _, acc := range demoAccounts {
			p, err := demoPassword(acc.name)
			if err != nil {
				return err
			}
			pw[acc.name] = p
		}
		if err := store.Accounts.Init(ctx, account.InitParams{Site: "Site de démonstration — Mileo Technology", Admin: "admin", Password: pw["admin"]}); err != nil {
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
				if err := demoAccount(ctx, store, sess, acc.name, acc.role, pw[acc.name]); err != nil {
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

// demoAccount creates a demo account the way a real one is made (R-KEY-1):
// the administrator gets a one-time password, and the person's first login
// with it sets their own password (here the demo's) and makes their key.
func demoAccount(ctx context.Context, store *procedure.Store, admin *account.Session, name string, role register.Role, pw string) error {
	_, otp, err := store.Accounts.AddUser(ctx, admin, name, role)
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

// demoPassword draws a password the register accepts for user.
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
