// Command mileo-extract extracts, anonymizes, encrypts and hands over CCTV
// clips under French GDPR/CNIL rules, and keeps the extraction register.
//
// Without arguments it starts the desktop application; with a command it
// runs headless (see mileo-extract help).
package main

import (
	"context"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"mileo.tech/extract/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	plainLocale()
	args := os.Args[1:]
	if len(args) == 0 || args[0] == "gui" {
		os.Exit(runGUI(ctx, args))
	}
	os.Exit(cli.Main(ctx, cli.OSEnv(), args))
}

// plainLocale drops the C/POSIX locale values, which name no language: Fyne
// would complain on stderr that it cannot parse them. Our own language comes
// from the settings (French by default).
func plainLocale() {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"} {
		if v := os.Getenv(k); v == "C" || v == "POSIX" || strings.HasPrefix(v, "C.") {
			os.Unsetenv(k)
		}
	}
}
