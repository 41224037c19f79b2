package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"mileo.tech/extract/account"
	"mileo.tech/extract/incident"
	"mileo.tech/extract/internal/version"

	"mileo.tech/extract/papers"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
)

func init() {
	Add(&Command{Name: "register", Summary: "verify, print and export the extraction register",
		Usage: "register verify [--checkpoint FILE]… [--key VKEY] | sheet CASE --out F.pdf | export --csv F | --pdf F | checkpoint [--out F] | incidents | erase | migrate --to postgres://… | join --site-key FILE",
		Run: group("register", map[string]subcommand{
			"verify":     {runRegisterVerify, "verify [--checkpoint FILE]… [--key VKEY]"},
			"sheet":      {runRegisterSheet, "sheet CASE --out F.pdf --as NAME [--lang fr|en]"},
			"export":     {runRegisterExport, "export --csv F | --pdf F --as NAME"},
			"checkpoint": {runRegisterCheckpoint, "checkpoint [--out F]"},
			"incidents":  {runRegisterIncidents, "incidents --as NAME"},
			"erase":      {runRegisterErase, "erase --as DPO"},
			"migrate":    {runRegisterMigrate, "migrate --to postgres://… [--data DIR]"},
			"join":       {runRegisterJoin, "join --site-key FILE [--data DIR] (with --register postgres://…)"},
		})})
}

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
	witness := fs.String("witness", env.Getenv("MILEO_WITNESS"), "witness folder outside the data folder ($MILEO_WITNESS)")
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	// Read-only: verify never writes to the register it checks (no
	// migration, no sweep of working folders).
	st, err := procedure.Open(ctx, DataDir(env, *data), register.Options{Now: env.Now, Software: version.Version, ReadOnly: true, WitnessDir: *witness, URL: RegisterURL(env)})
	if err != nil {
		return err
	}
	defer st.Close()
	return func(st *procedure.Store) error {
		var notes [][]byte
		for _, p := range cps {
			b, err := os.ReadFile(p)
			if err != nil {
				return fmt.Errorf("read checkpoint: %w", err)
			}
			notes = append(notes, b)
		}
		opt := register.VerifyOptions{Checkpoints: notes, SiteKey: *key}
		if env.StderrIsTerminal {
			opt.OnProgress = bar(env.Stderr, "verify")
		}
		rep, err := st.Verify(ctx, opt)
		if env.StderrIsTerminal {
			fmt.Fprintln(env.Stderr)
		}
		if rep != nil {
			fmt.Fprintln(env.Stdout, env.t("cli.verify.report", "Site", rep.Site, "Key", rep.SiteKey, "Entries", rep.Entries,
				"Checkpoints", rep.Checkpoints, "Largest", rep.Largest, "Erased", rep.PersonalErased))
			if len(rep.Head) > 0 {
				fmt.Fprintln(env.Stdout, env.t("cli.verify.head", "Head", fmt.Sprintf("%x", rep.Head)))
			}
			// R-REG-2 (rev.): how recent the newest outside witness is.
			if w := rep.Witness; w != nil {
				fmt.Fprintln(env.Stdout, env.t("cli.verify.witness", "Size", w.Size, "Date", localTime(st, w.Time),
					"Days", int(env.Now().Sub(w.Time).Hours()/24)))
			} else {
				fmt.Fprintln(env.Stdout, env.t("cli.verify.no_witness"))
			}
			for _, p := range rep.Problems {
				fmt.Fprintln(env.Stdout, env.t("cli.verify.problem", "Problem", fmt.Sprint(p)))
			}
		}
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, env.t("cli.verify.ok"))
		return nil
	}(st)
}

func runRegisterSheet(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "register sheet")
	out := c.fs.String("out", "", "PDF file to write")
	lang := c.fs.String("lang", "fr", "language of the sheet: fr or en")
	pos, err := c.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *out == "" {
		return Usagef("want one case number and --out F.pdf")
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		return writePDF(*out, func(w io.Writer) error {
			return papers.New(st).Sheet(ctx, sess, pos[0], w, papers.PrintOptions{Lang: *lang})
		})
	})
}

func runRegisterExport(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "register export")
	csvOut := c.fs.String("csv", "", "CSV file to write")
	pdfOut := c.fs.String("pdf", "", "PDF file to write")
	lang := c.fs.String("lang", "fr", "language of the PDF: fr or en")
	if _, err := c.parse(args); err != nil {
		return err
	}
	if (*csvOut == "") == (*pdfOut == "") {
		return Usagef("give either --csv F or --pdf F")
	}
	format, path := "csv", *csvOut
	if *pdfOut != "" {
		format, path = "pdf", *pdfOut
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		if err := writePDF(path, func(w io.Writer) error {
			return papers.New(st).ExportRegister(ctx, sess, format, w, papers.PrintOptions{Lang: *lang})
		}); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, env.t("cli.register.exported", "Path", path))
		return nil
	})
}

func runRegisterCheckpoint(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("register checkpoint", env)
	data := fs.String("data", "", "data folder")
	out := fs.String("out", "", "also write the checkpoint to this file")
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	return withRegister(ctx, env, *data, func(st *procedure.Store) error {
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
			if err := os.WriteFile(*out, []byte(text), 0o600); err != nil {
				return err
			}
		}
		_, err = io.WriteString(env.Stdout, text)
		return err
	})
}

var runRegisterIncidents = listing[incident.Incident]{
	name: "register incidents",
	get: func(st *procedure.Store, ctx context.Context, sess *account.Session) ([]incident.Incident, error) {
		return st.Incidents.List(ctx, sess)
	},
	header: "N°\tDATE\tTYPE\tDOSSIER\tPAR\tDÉTAIL",
	row: func(st *procedure.Store, i incident.Incident) []any {
		return []any{i.Seq, localTime(st, i.At), i.Kind, dash(i.Case), i.By, i.Detail}
	},
}.run

func runRegisterErase(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "register erase")
	if _, err := c.parse(args); err != nil {
		return err
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		n, err := st.Purges.ErasePersonal(ctx, sess)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, env.t("cli.register.erased", "N", n))
		return nil
	})
}

// runRegisterMigrate copies the SQLite register of the data folder into an
// empty shared register on a PostgreSQL server (docs/shared-register.md):
// it verifies the register first, copies it in one transaction, verifies
// the copy and compares the two. Run it with the owner role's URL, which
// also creates the tables. The SQLite file is left as it was.
func runRegisterMigrate(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("register migrate", env)
	data := fs.String("data", "", "data folder of the SQLite register")
	to := fs.String("to", "", "URL of the empty PostgreSQL register (postgres://owner@server/database?sslmode=verify-full)")
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	if !register.IsURL(*to) {
		return Usagef("--to postgres://… is required")
	}
	dir := DataDir(env, *data)
	opt := register.Options{Now: env.Now, Software: version.Version, WitnessDir: env.Getenv("MILEO_WITNESS"), ReadOnly: true}
	src, err := procedure.Open(ctx, dir, opt)
	if err != nil {
		return err
	}
	defer src.Close()
	before, err := src.Verify(ctx, register.VerifyOptions{})
	if err != nil {
		return err
	}
	opt.ReadOnly, opt.URL = false, *to
	dst, err := procedure.Open(ctx, dir, opt)
	if err != nil {
		return err
	}
	defer dst.Close()
	if _, err := src.CopyTo(ctx, dst.Store); err != nil {
		return err
	}
	after, err := dst.Verify(ctx, register.VerifyOptions{})
	if err != nil {
		return err
	}
	if after.Entries != before.Entries || !bytes.Equal(after.Head, before.Head) {
		return fmt.Errorf("register migrate: the copy has %d entries, head %x; the register %d, head %x",
			after.Entries, after.Head, before.Entries, before.Head)
	}
	fmt.Fprintln(env.Stdout, env.t("cli.register.migrated", "Entries", after.Entries, "Server", dst.Server(), "Head", fmt.Sprintf("%x", after.Head)))
	return nil
}

// runRegisterJoin installs the site key of the shared register in this
// workstation's data folder (docs/shared-register.md).
func runRegisterJoin(ctx context.Context, env *Env, args []string) error {
	fs := NewFlags("register join", env)
	data := fs.String("data", "", "data folder of this workstation")
	keyFile := fs.String("site-key", "", "site.key file of the workstation that created the shared register")
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	if *keyFile == "" || RegisterURL(env) == "" {
		return Usagef("--site-key FILE and the shared register (--register postgres://… or MILEO_REGISTER) are required")
	}
	key, err := os.ReadFile(*keyFile)
	if err != nil {
		return err
	}
	return withRegister(ctx, env, *data, func(st *procedure.Store) error {
		if err := st.JoinSite(ctx, key); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, env.t("cli.register.joined", "Dir", st.Dir()))
		return nil
	})
}
