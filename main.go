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
	"syscall"

	"mileo.tech/extract/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	args := os.Args[1:]
	if len(args) == 0 || args[0] == "gui" {
		os.Exit(runGUI(ctx, args))
	}
	os.Exit(cli.Main(ctx, cli.OSEnv(), args))
}
