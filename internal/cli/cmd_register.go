package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"mileo.tech/extract/internal/version"
	"mileo.tech/extract/register"
)

func init() {
	Add(&Command{Name: "register", Summary: "verify, print and export the extraction register",
		Usage: "register verify [--checkpoint FILE]… [--key VKEY] | sheet CASE --out F.pdf | export --csv F | --pdf F | checkpoint [--out F] | incidents | erase",
		Run: group("register", map[string]subcommand{
			"verify":     {runRegisterVerify, "verify [--checkpoint FILE]… [--key VKEY]"},
			"sheet":      {runRegisterSheet, "sheet CASE --out F.pdf --as NAME [--lang fr|en]"},
			"export":     {runRegisterExport, "export --csv F | --pdf F --as NAME"},
			"checkpoint": {runRegisterCheckpoint, "checkpoint [--out F]"},
			"incidents":  {runRegisterIncidents, "incidents --as NAME"},
			"erase":      {runRegisterErase, "erase --as DPO"},
		})})
}

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

// regFlags are the flags every register command shares.
type regFlags struct {
	data *string
	as   *string
}

func addRegFlags(fs *flag.FlagSet) regFlags {
	return regFlags{
		data: fs.String("data", "", "data folder (default $MILEO_DATA or the user data folder)"),
		as:   fs.String("as", "", "user name of the person acting"),
	}
}

// openRegister opens the register of the data folder and crypto-erases the
// working folders of crashed jobs (recorded in the register).
func openRegister(ctx context.Context, env *Env, data string) (*register.Store, error) {
	st, err := register.Open(ctx, DataDir(env, data), register.Options{Now: env.Now, Software: version.Version})
	if err != nil {
		return nil, err
	}
	if erased, err := st.SweepWorkdirs(ctx); err != nil {
		fmt.Fprintf(env.Stderr, "attention : nettoyage des dossiers de travail incomplet : %v\n", err)
	} else if len(erased) > 0 {
		fmt.Fprintf(env.Stderr, "%d dossier(s) de travail abandonné(s) effacé(s) (effacement cryptographique)\n", len(erased))
	}
	return st, nil
}

// password reads a password from $MILEO_PASSWORD or the terminal.
func password(env *Env, variable, prompt string) (string, error) {
	if pw := env.Getenv(variable); pw != "" {
		return pw, nil
	}
	if env.ReadPassword == nil {
		return "", fmt.Errorf("no terminal to read the password from: set %s", variable)
	}
	return env.ReadPassword(prompt)
}

// newPassword reads a new password from variable or twice from the
// terminal.
func newPassword(env *Env, variable, who string) (string, error) {
	if pw := env.Getenv(variable); pw != "" {
		return pw, nil
	}
	if env.ReadPassword == nil {
		return "", fmt.Errorf("no terminal to read the new password from: set %s", variable)
	}
	pw, err := env.ReadPassword(fmt.Sprintf("Nouveau mot de passe de %s : ", who))
	if err != nil {
		return "", err
	}
	again, err := env.ReadPassword("Confirmez le mot de passe : ")
	if err != nil {
		return "", err
	}
	if pw != again {
		return "", errors.New("the two passwords differ")
	}
	return pw, nil
}

// login opens the register and logs the --as user in. Overdue purges are
// shown to everyone (R-PRG-2).
func login(ctx context.Context, env *Env, f regFlags) (*register.Store, *register.Session, error) {
	if *f.as == "" {
		return nil, nil, Usagef("--as NAME is required: every action is signed by the person who takes it")
	}
	st, err := openRegister(ctx, env, *f.data)
	if err != nil {
		return nil, nil, err
	}
	pw, err := password(env, "MILEO_PASSWORD", fmt.Sprintf("Mot de passe de %s : ", *f.as))
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	sess, err := st.Login(ctx, *f.as, pw)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	if overdue, err := st.CheckOverdue(ctx); err == nil && len(overdue) > 0 {
		fmt.Fprintf(env.Stderr, "attention : %d purge(s) en retard, enregistrée(s) comme incident (mileo-extract purge due)\n", len(overdue))
	}
	return st, sess, nil
}

func localTime(st *register.Store, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(st.Location()).Format("02/01/2006 15:04:05 MST")
}

func table(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 4, 2, ' ', 0) }

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func runRegisterVerify(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("register verify", env)
	data := fs.String("data", "", "data folder")
	var cps listFlag
	fs.Var(&cps, "checkpoint", "signed checkpoint kept outside (file; repeatable)")
	key := fs.String("key", "", "site verifier key as printed on paper")
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	st, err := openRegister(ctx, env, *data)
	if err != nil {
		return err
	}
	defer st.Close()
	var notes [][]byte
	for _, p := range cps {
		b, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("read checkpoint: %w", err)
		}
		notes = append(notes, b)
	}
	rep, err := st.Verify(ctx, register.VerifyOptions{Checkpoints: notes, SiteKey: *key})
	if rep != nil {
		fmt.Fprintf(env.Stdout, "site : %s\nclé du site : %s\nentrées : %d\npoints de contrôle vérifiés : %d (le plus grand couvre %d entrées)\ndonnées personnelles effacées en fin de conservation : %d\n",
			rep.Site, rep.SiteKey, rep.Entries, rep.Checkpoints, rep.Largest, rep.PersonalErased)
		if len(rep.Head) > 0 {
			fmt.Fprintf(env.Stdout, "empreinte de tête : %x\n", rep.Head)
		}
		for _, p := range rep.Problems {
			fmt.Fprintf(env.Stdout, "PROBLÈME %v\n", p)
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "registre intègre")
	return nil
}

func runRegisterSheet(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("register sheet", env)
	rf := addRegFlags(fs)
	out := fs.String("out", "", "PDF file to write")
	lang := fs.String("lang", "fr", "language of the sheet: fr or en")
	pos, err := Parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *out == "" {
		return Usagef("want one case number and --out F.pdf")
	}
	st, sess, err := login(ctx, env, rf)
	if err != nil {
		return err
	}
	defer st.Close()
	return writePDF(*out, func(w io.Writer) error {
		return st.WriteSheet(ctx, sess, pos[0], w, register.PrintOptions{Lang: *lang})
	})
}

// writePDF writes a document to path, removing it if rendering fails.
func writePDF(path string, render func(w io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := render(f); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

func runRegisterExport(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("register export", env)
	rf := addRegFlags(fs)
	csvOut := fs.String("csv", "", "CSV file to write")
	pdfOut := fs.String("pdf", "", "PDF file to write")
	lang := fs.String("lang", "fr", "language of the PDF: fr or en")
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	if (*csvOut == "") == (*pdfOut == "") {
		return Usagef("give either --csv F or --pdf F")
	}
	st, sess, err := login(ctx, env, rf)
	if err != nil {
		return err
	}
	defer st.Close()
	format, path := "csv", *csvOut
	if *pdfOut != "" {
		format, path = "pdf", *pdfOut
	}
	if err := writePDF(path, func(w io.Writer) error {
		return st.ExportRegister(ctx, sess, format, w, register.PrintOptions{Lang: *lang})
	}); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "registre exporté vers %s (inscrit au registre des activités de traitement, art. 30 RGPD)\n", path)
	return nil
}

func runRegisterCheckpoint(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("register checkpoint", env)
	data := fs.String("data", "", "data folder")
	out := fs.String("out", "", "also write the checkpoint to this file")
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	st, err := openRegister(ctx, env, *data)
	if err != nil {
		return err
	}
	defer st.Close()
	cp, err := st.WriteCheckpoint(ctx)
	if err != nil {
		return err
	}
	vkey, err := st.VerifierKey()
	if err != nil {
		return err
	}
	text := string(cp.Note) + "site-key " + vkey + "\n"
	if *out != "" {
		if err := os.WriteFile(*out, []byte(text), 0o644); err != nil {
			return err
		}
	}
	_, err = io.WriteString(env.Stdout, text)
	return err
}

func runRegisterIncidents(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("register incidents", env)
	rf := addRegFlags(fs)
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	st, sess, err := login(ctx, env, rf)
	if err != nil {
		return err
	}
	defer st.Close()
	inc, err := st.Incidents(ctx, sess)
	if err != nil {
		return err
	}
	w := table(env.Stdout)
	fmt.Fprintln(w, "N°\tDATE\tTYPE\tDOSSIER\tPAR\tDÉTAIL")
	for _, i := range inc {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", i.Seq, localTime(st, i.At), i.Kind, dash(i.Case), i.By, i.Detail)
	}
	return w.Flush()
}

func runRegisterErase(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("register erase", env)
	rf := addRegFlags(fs)
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	st, sess, err := login(ctx, env, rf)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.ErasePersonal(ctx, sess)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d enregistrement(s) de données personnelles effacé(s) en fin de conservation\n", n)
	return nil
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
