package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"sort"
	"strings"
)

// subcommand is one verb of a command group.
type subcommand struct {
	run   func(ctx context.Context, env *Env, args []string) error
	usage string
}

// group dispatches "name verb args…".
func group(name string, subs map[string]subcommand) func(ctx context.Context, env *Env, args []string) error {
	return func(ctx context.Context, env *Env, args []string) error {
		verbs := make([]string, 0, len(subs))
		for v := range subs {
			verbs = append(verbs, v)
		}
		sort.Strings(verbs)
		if len(args) == 0 {
			return Usagef("%s needs one of: %s", name, strings.Join(verbs, ", "))
		}
		sc, ok := subs[args[0]]
		if !ok {
			return Usagef("%s has no %q: use one of %s", name, args[0], strings.Join(verbs, ", "))
		}
		err := sc.run(ctx, env, args[1:])
		if errors.Is(err, ErrUsage) || errors.Is(err, flag.ErrHelp) {
			return fmt.Errorf("%w (mileo-extract %s %s)", err, name, sc.usage)
		}
		return err
	}
}
