package main

import (
	"context"
	"fmt"
	"os"
)

// runGUI starts the desktop application (wired once package ui exists).
func runGUI(ctx context.Context, args []string) int {
	fmt.Fprintln(os.Stderr, "mileo-extract: the desktop window is not built yet; see mileo-extract help for the commands")
	return 2
}
