// Command mileo-extract extracts, anonymizes, encrypts and hands over CCTV
// clips under French GDPR/CNIL rules, and keeps the extraction register.
//
// Without arguments it starts the desktop application; with a command it
// runs headless (see mileo-extract help).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"mileo.tech/extract/cli"
	_ "mileo.tech/extract/internal/plainlocale" // before Fyne reads the locale
	"mileo.tech/extract/internal/version"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/ui"
	"mileo.tech/extract/vms/connect"
)

func main() {
	// Files 0600 and folders 0700, including those SQLite and FFmpeg
	// create without saying a mode (issue #15).
	cli.PrivateFiles()
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
//	mileo-extract [gui] [--data DIR] [--register postgres://…] [--source ADDR] [--lang fr|en] [--model FILE]
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
	shared := fs.String("register", "", "shared register on a PostgreSQL server, postgres://… (default $MILEO_REGISTER)")
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
	regURL := *shared
	if regURL == "" {
		regURL = cli.RegisterURL(env)
	}
	if regURL == "" && *demo == "" {
		regURL = ui.SavedRegister(a)
	}
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
			dataDir = cli.DemoDataDir(dir)
		}
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		fmt.Fprintln(os.Stderr, "mileo-extract:", err)
		return 1
	}
	// The witness folder (R-REG-2): MILEO_WITNESS, else the one set in the
	// window's settings.
	witness := os.Getenv("MILEO_WITNESS")
	if witness == "" {
		witness = ui.SavedWitnessDir(a)
	}
	store, err := procedure.Open(ctx, dataDir, register.Options{Software: version.String(), WitnessDir: witness, URL: regURL})
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
		if err := cli.DemoUsers(ctx, store, os.Stdout); err != nil {
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
		WitnessDir: witness,
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
