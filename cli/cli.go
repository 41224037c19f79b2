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

	"mileo.tech/extract/internal/i18n"
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
	// StdoutIsTerminal says that a secret printed on Stdout is seen by the
	// person at the terminal and lands in no file: an archive password
	// goes there, or to the descriptor named by --password-fd (R-ENC-2).
	StdoutIsTerminal bool
	// OpenFD opens the file descriptor n, inherited from the caller, for
	// writing (--password-fd); nil opens the process's own descriptor.
	OpenFD func(n int) (io.WriteCloser, error)
	// ReadPassword reads a secret from the terminal; nil when there is none.
	ReadPassword func(prompt string) (string, error)
}

// OSEnv returns the environment of the running process.
func OSEnv() *Env {
	return &Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Getenv: os.Getenv, Now: time.Now,
		StderrIsTerminal: isTerminal(os.Stderr),
		StdoutIsTerminal: isTerminal(os.Stdout),
		ReadPassword:     readPassword,
		OpenFD:           openFD,
	}
}

// Command is one CLI command (or a group with sub-commands handled by Run).
type Command struct {
	Name    string
	Usage   string // one line: "cameras --source SRC"
	Summary string // one sentence
	Run     func(ctx context.Context, env *Env, args []string) error
	// Hidden commands are left out of the help: a door that was closed
	// and now only says where to go instead.
	Hidden bool
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
	cat := env.catalog()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printHelp(env.Stdout, cat)
		return 0
	}
	// --register URL before the command: the shared register on a
	// PostgreSQL server, as $MILEO_REGISTER.
	if loc, rest, ok := registerFlag(args); ok {
		env = withRegisterURL(env, loc)
		if args = rest; len(args) == 0 {
			printHelp(env.Stdout, cat)
			return 2
		}
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintln(env.Stderr, cat.T("cli.unknown_command", "Name", args[0]))
		return 2
	}
	err := c.Run(ctx, env, args[1:])
	if err == nil {
		return 0
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			fmt.Fprintf(env.Stderr, "mileo-extract %s: %s\n", c.Name, errText(cat, ee.Err))
		}
		return ee.Code
	}
	fmt.Fprintf(env.Stderr, "mileo-extract %s: %s\n", c.Name, errText(cat, err))
	if errors.Is(err, ErrUsage) || errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(env.Stderr, cat.T("cli.usage", "Usage", c.Usage))
		return 2
	}
	return 1
}

// catalog is the catalogue of the person at the terminal: French, or
// English when LC_ALL, LC_MESSAGES or LANG (the first one set) starts with
// "en".
func (env *Env) catalog() *i18n.Catalog {
	lang := ""
	if env.Getenv != nil {
		for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
			if lang = env.Getenv(v); lang != "" {
				break
			}
		}
	}
	if strings.HasPrefix(strings.ToLower(lang), "en") {
		return i18n.New("en")
	}
	return i18n.New("fr")
}

// t is the text id of the catalogue in the person's language.
func (env *Env) t(id string, kv ...any) string { return env.catalog().T(id, kv...) }

// errText is the sentence printed for err: the catalogue's message of the
// core's errors (register.Error) and known sentinels; other errors (usage,
// files) as they read, since the terminal is also the command's log.
func errText(cat *i18n.Catalog, err error) string {
	var m i18n.Message
	if errors.As(err, &m) || errors.Is(err, context.Canceled) {
		return cat.Err(err)
	}
	return err.Error()
}

func printHelp(w io.Writer, cat *i18n.Catalog) {
	fmt.Fprintln(w, cat.T("cli.help.title"))
	fmt.Fprintln(w, "\n"+cat.T("cli.help.commands"))
	names := make([]string, 0, len(commands))
	for n, c := range commands {
		if !c.Hidden {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		c := commands[n]
		summary := c.Summary
		if id := "cli.cmd." + n; cat.Has(id) {
			summary = cat.T(id)
		}
		fmt.Fprintf(w, "  %-12s %s\n      mileo-extract %s\n", n, summary, c.Usage)
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

// RegisterURL is the location of a shared register: --register before the
// command, else $MILEO_REGISTER; empty for the SQLite register of the data
// folder (docs/shared-register.md).
func RegisterURL(env *Env) string { return env.Getenv("MILEO_REGISTER") }

// registerFlag reads a leading --register URL (or --register=URL).
func registerFlag(args []string) (loc string, rest []string, ok bool) {
	switch {
	case len(args) >= 2 && (args[0] == "--register" || args[0] == "-register"):
		return args[1], args[2:], true
	case len(args) >= 1 && strings.HasPrefix(args[0], "--register="):
		return strings.TrimPrefix(args[0], "--register="), args[1:], true
	}
	return "", args, false
}

// withRegisterURL is env with $MILEO_REGISTER set to loc.
func withRegisterURL(env *Env, loc string) *Env {
	e := *env
	get := env.Getenv
	e.Getenv = func(k string) string {
		if k == "MILEO_REGISTER" {
			return loc
		}
		return get(k)
	}
	return &e
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
