package cli

import (
	"fmt"
	"io"

	"mileo.tech/extract/internal/i18n"
)

// refusal is a door the command line keeps closed: its catalogue message
// (internal/i18n) names the rule and says what to do instead, on one line
// (exit 1).
type refusal struct {
	key  string
	data map[string]any
}

func (r *refusal) kv() []any {
	kv := make([]any, 0, 2*len(r.data))
	for k, v := range r.data {
		kv = append(kv, k, v)
	}
	return kv
}

// Error is the English text, for logs.
func (r *refusal) Error() string { return i18n.New("en").T(r.key, r.kv()...) }

// Message is the catalogue message shown to the person (i18n.Message).
func (r *refusal) Message() (string, map[string]any) { return r.key, r.data }

// secretOut is where the password of an archive goes (R-ENC-2): the
// terminal, or the descriptor the caller named with --password-fd; never
// a redirected standard output by default.
type secretOut struct {
	w  io.Writer
	c  io.Closer // the descriptor opened for --password-fd, nil otherwise
	fd int       // 0: the terminal
}

// passwordOut checks, before any work, where the password will go: fd is
// the value of --password-fd (0 when not given). Without it the standard
// output must be a terminal; otherwise the command is refused and says
// how to get the password.
func passwordOut(env *Env, fd int) (*secretOut, error) {
	switch {
	case fd < 0:
		return nil, &refusal{key: "err.cli.password_fd_invalid", data: map[string]any{"N": fd}}
	case fd == 0 && env.StdoutIsTerminal:
		return &secretOut{w: env.Stdout}, nil
	case fd == 0:
		return nil, &refusal{key: "err.cli.password_needs_terminal"}
	case fd == 1:
		return &secretOut{w: env.Stdout, fd: 1}, nil
	case fd == 2:
		return &secretOut{w: env.Stderr, fd: 2}, nil
	}
	open := env.OpenFD
	if open == nil {
		open = openFD
	}
	w, err := open(fd)
	if err != nil {
		return nil, &refusal{key: "err.cli.password_fd_invalid", data: map[string]any{"N": fd}}
	}
	return &secretOut{w: w, c: w, fd: fd}, nil
}

// give writes the password: on the terminal with its warning, or alone
// on its line to the named descriptor, with a note on stdout saying
// where it went.
func (o *secretOut) give(env *Env, password string) error {
	if o.fd == 0 {
		_, err := fmt.Fprintln(o.w, env.t("cli.export.password", "Password", password))
		return err
	}
	if _, err := fmt.Fprintln(o.w, password); err != nil {
		return fmt.Errorf("--password-fd %d: %w", o.fd, err)
	}
	fmt.Fprintln(env.Stdout, env.t("cli.export.password_fd", "N", o.fd))
	return nil
}

// close closes the descriptor opened for --password-fd.
func (o *secretOut) close() error {
	if o == nil || o.c == nil {
		return nil
	}
	return o.c.Close()
}
