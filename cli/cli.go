package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Env is what a command may touch of the outside world. Tests build their own.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads the environment (MILEO_DATA, MILEO_PASSWORD, ...).
	Getenv func(string) string
	// Now is the clock.
	Now func() time.Time
	// StderrIsTerminal turns on progress bars.
	StderrIsTerminal bool
	// ReadPassword reads a secret from the terminal; nil when there is none.
	ReadPassword func(prompt string) (string, error)
}

// OSEnv returns the environment of the running process.
func OSEnv() *Env {
	return &Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Getenv: os.Getenv, Now: time.Now,
		StderrIsTerminal: isTerminal(os.Stderr),
		ReadPassword:     readPassword,
	}
}

// Command is one CLI command (or a group with sub-commands handled by Run).
type Command struct {
	Name    string
	Usage   string // one line: "export --source SRC --camera ID[,ID…] --from T --to T --out DIR"
	Summary string // one sentence
	Run     func(ctx context.Context, env *Env, args []string) error
}

var commands = map[string]*Command{}

// Add registers a command; called from init functions of cmd_*.go files.
func Add(c *Command) {
	if _, dup := commands[c.Name]; dup {
		panic("cli: duplicate command " + c.Name)
	}
	commands[c.Name] = c
}

// ExitError carries a specific exit code.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}
func (e *ExitError) Unwrap() error { return e.Err }

// ErrUsage marks a usage error (exit 2).
var ErrUsage = errors.New("usage")

// Usagef returns a usage error with a message.
func Usagef(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrUsage, fmt.Sprintf(format, a...))
}

// Main runs the command named by args[0] and returns the process exit code.
func Main(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printHelp(env.Stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "mileo-extract: unknown command %q (see mileo-extract help)\n", args[0])
		return 2
	}
	err := c.Run(ctx, env, args[1:])
	if err == nil {
		return 0
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			fmt.Fprintf(env.Stderr, "mileo-extract %s: %v\n", c.Name, ee.Err)
		}
		return ee.Code
	}
	fmt.Fprintf(env.Stderr, "mileo-extract %s: %v\n", c.Name, err)
	if errors.Is(err, ErrUsage) || errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(env.Stderr, "usage: mileo-extract %s\n", c.Usage)
		return 2
	}
	return 1
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "mileo-extract — extraction, anonymisation, chiffrement et registre des images de vidéoprotection")
	fmt.Fprintln(w, "\nWithout arguments the desktop application starts. Commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := commands[n]
		fmt.Fprintf(w, "  %-12s %s\n      mileo-extract %s\n", n, c.Summary, c.Usage)
	}
}

// NewFlags returns a flag set that reports errors instead of exiting.
func NewFlags(name string, env *Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// Parse parses flags that may come before or after positional arguments
// ("sheet EXT-2026-0001 --out f.pdf") and returns the positional ones.
func Parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrUsage, err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// DataDir returns the data folder: --data, else $MILEO_DATA, else the user
// data dir ($XDG_DATA_HOME/mileo-extract or ~/.local/share/mileo-extract).
func DataDir(env *Env, flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if d := env.Getenv("MILEO_DATA"); d != "" {
		return d
	}
	if d := env.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "mileo-extract")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "mileo-data"
	}
	return filepath.Join(home, ".local", "share", "mileo-extract")
}

// ParseTime reads an RFC 3339 time ("2026-11-23T10:00:00+01:00" or "...Z").
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, Usagef("time %q is not RFC 3339 (e.g. 2026-11-23T10:00:00+01:00)", s)
	}
	return t, nil
}

// SplitList splits "a,b, c" into ["a" "b" "c"].
func SplitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
