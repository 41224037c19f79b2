package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"mileo.tech/extract/account"
	"mileo.tech/extract/anonymize"
	"mileo.tech/extract/export"
	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/papers"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/redaction"
	"mileo.tech/extract/vms"
)

func init() {
	Add(&Command{Name: "case", Summary: "extraction cases: request, confirmation, authorization, export, delivery, closing",
		Usage: "case new|confirm|standin|authorize|refuse|ack|review|export|check|settle|deliver|attach|receipt|letter|recipient-letter|answer-letter|label|close|use-ended|judicial-closed|show|list … --as NAME",
		Run: group("case", map[string]subcommand{
			"new": {runCaseNew, "new --reason judicial|police|incident|insurance|access --requester NAME --contact C --recipient R " +
				"--from T --to T --camera ID[,ID…] --justification TEXT [--org O] [--detail D] [--received T] [--requisition REF] " +
				"[--identity-method M --identity-checked-by N --legitimacy L] [--internal] --as NAME"},
			"confirm":   {runCaseConfirm, "confirm CASE --how phone|email|… --with PERSON [--from T --to T] [--camera ID,…] --as NAME"},
			"standin":   {runCaseStandIn, "standin CASE --why absent|unreachable|conflict --as NAME"},
			"authorize": {runCaseAuthorize, "authorize CASE [--note TEXT] --as NAME"},
			"refuse":    {runCaseRefuse, "refuse CASE --reason TEXT --as NAME"},
			"ack":       {runCaseAck, "ack CASE --as NAME"},
			"review":    {runCaseReview, "review CASE --camera ID --plan PLAN.json --as NAME"},
			"export": {runCaseExport, "export CASE --source SRC --out DIR [--password-fd N] [--emergency REASON] " +
				"[--keep ID,…] [--mode mosaic|solid] [--native] --as NAME"},
			"check":  {runCaseCheck, "check CASE --as NAME"},
			"settle": {runCaseSettle, "settle CASE --file NAME --suspect ID --as NAME"},
			"deliver": {runCaseDeliver, "deliver CASE --support usb|dvd|platform|on_site [--media ID] --mode hand|registered_mail|platform|on_site " +
				"--recipient-name N [--recipient-org ORG] [--recipient-id ID] [--seal N] [--tracking N] [--password-channel C] [--receipt F.pdf] --as NAME"},
			"attach":           {runCaseAttach, "attach CASE FILE | attach CASE --requisition FILE --as NAME"},
			"receipt":          {runCaseReceipt, "receipt CASE --out F.pdf --as NAME"},
			"letter":           {runCaseLetter, "letter CASE --out F.pdf --as NAME"},
			"recipient-letter": {runCaseRecipientLetter, "recipient-letter CASE --out F.pdf --as NAME"},
			"answer-letter":    {runCaseAnswerLetter, "answer-letter CASE --out F.pdf --as NAME"},
			"label":            {runCaseLabel, "label CASE --media ID --out F.pdf --as NAME"},
			"close":            {runCaseClose, "close CASE [--note TEXT] --as NAME"},
			"use-ended":        {runCaseUseEnded, "use-ended CASE --note WHAT --as NAME"},
			"judicial-closed":  {runCaseJudicialClosed, "judicial-closed CASE --ref NOTICE --as NAME"},
			"show":             {runCaseShow, "show CASE --as NAME"},
			"list":             {runCaseList, "list --as NAME"},
		})})
}

func oneCase(pos []string) (string, error) {
	if len(pos) != 1 {
		return "", Usagef("want one case number (EXT-YYYY-NNNN)")
	}
	return pos[0], procedure.CheckCaseNumber(pos[0])
}

// parseCase parses args, which must hold one case number.
func (c *regCmd) parseCase(args []string) (string, error) {
	pos, err := c.parse(args)
	if err != nil {
		return "", err
	}
	return oneCase(pos)
}

func optionalRange(from, to string) (vms.Range, error) {
	if from == "" && to == "" {
		return vms.Range{}, nil
	}
	return parseRange(from, to)
}

func runCaseNew(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "case new")
	fs := c.fs
	reason := fs.String("reason", "", "judicial (requisition), police (request without requisition), incident, insurance or access (R-REQ-1)")
	detail := fs.String("detail", "", "kind within the reason: commission rogatoire, vol, sinistre n°…")
	requester := fs.String("requester", "", "identity of the requester")
	org := fs.String("org", "", "organisation of the requester")
	contact := fs.String("contact", "", "contact of the requester")
	recipient := fs.String("recipient", "", "recipient of the data")
	received := fs.String("received", "", "when the written request was received (RFC 3339; default now)")
	from := fs.String("from", "", "start of the requested range (RFC 3339)")
	to := fs.String("to", "", "end of the requested range (RFC 3339)")
	cams := fs.String("camera", "", "camera ids, comma-separated")
	just := fs.String("justification", "", "written justification")
	req := fs.String("requisition", "", "reference of the judicial requisition (counts as authorization)")
	idMethod := fs.String("identity-method", "", "access request: how the identity was checked")
	idBy := fs.String("identity-checked-by", "", "access request: who checked it")
	legit := fs.String("legitimacy", "", "access request: why the request is legitimate")
	internal := fs.Bool("internal", false, "the export stays in the organisation (purge within 48 h)")
	if _, err := Parse(fs, args); err != nil {
		return err
	}
	r, err := procedure.ParseReason(*reason)
	if err != nil {
		return err
	}
	rng, err := parseRange(*from, *to)
	if err != nil {
		return err
	}
	rec := env.Now()
	if *received != "" {
		if rec, err = ParseTime(*received); err != nil {
			return err
		}
	}
	in := procedure.Request{Reason: r, Detail: *detail, Requester: procedure.Party{Name: *requester, Org: *org, Contact: *contact},
		Recipient: *recipient, Received: rec, Range: rng, Cameras: SplitList(*cams), Justification: *just,
		RequisitionRef: *req, Internal: *internal}
	if *idMethod != "" || *idBy != "" || *legit != "" {
		in.Identity = &procedure.IdentityCheck{Method: *idMethod, CheckedBy: *idBy, Legitimacy: *legit}
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		cs, err := st.Cases.New(ctx, sess, in)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, cs.Number)
		return nil
	})
}

func runCaseConfirm(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "case confirm")
	fs := c.fs
	how := fs.String("how", "", "how range and cameras were checked with the requester (phone, email, in person)")
	with := fs.String("with", "", "person they were checked with")
	from := fs.String("from", "", "corrected start (RFC 3339)")
	to := fs.String("to", "", "corrected end (RFC 3339)")
	cams := fs.String("camera", "", "corrected camera ids")
	n, err := c.parseCase(args)
	if err != nil {
		return err
	}
	rng, err := optionalRange(*from, *to)
	if err != nil {
		return err
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		cs, err := st.Cases.Confirm(ctx, sess, n, procedure.ConfirmInput{How: *how, With: *with, Range: rng, Cameras: SplitList(*cams)})
		if err != nil {
			return err
		}
		return printState(env, st, cs)
	})
}

func printState(env *Env, st *procedure.Store, c *procedure.Case) error {
	fmt.Fprintf(env.Stdout, "%s : %s\n", c.Number, c.State.Title())
	for _, t := range c.Tasks() {
		fmt.Fprintln(env.Stdout, env.t("cli.case.task", "Role", t.For.Title(), "Task", t.Text))
	}
	return nil
}

func caseStep(name string, needs string, do func(ctx context.Context, st *procedure.Store, s *account.Session, n, text string) (*procedure.Case, error)) func(ctx context.Context, env *Env, args []string) error {
	return func(ctx context.Context, env *Env, args []string) error {
		c := newRegCmd(env, "case "+name)
		text := new(string)
		if needs != "" {
			text = c.fs.String(needs, "", needs)
		}
		n, err := c.parseCase(args)
		if err != nil {
			return err
		}
		return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
			cs, err := do(ctx, st, sess, n, *text)
			if err != nil {
				return err
			}
			return printState(env, st, cs)
		})
	}
}

var (
	runCaseAuthorize = caseStep("authorize", "note", func(ctx context.Context, st *procedure.Store, s *account.Session, n, t string) (*procedure.Case, error) {
		return st.Cases.Authorize(ctx, s, n, t)
	})
	runCaseRefuse = caseStep("refuse", "reason", func(ctx context.Context, st *procedure.Store, s *account.Session, n, t string) (*procedure.Case, error) {
		return st.Cases.Refuse(ctx, s, n, t)
	})
	runCaseStandIn = caseStep("standin", "why", func(ctx context.Context, st *procedure.Store, s *account.Session, n, t string) (*procedure.Case, error) {
		return st.Cases.StandIn(ctx, s, n, t)
	})
	runCaseUseEnded = caseStep("use-ended", "note", func(ctx context.Context, st *procedure.Store, s *account.Session, n, t string) (*procedure.Case, error) {
		return st.Cases.EndUse(ctx, s, n, t)
	})
	runCaseJudicialClosed = caseStep("judicial-closed", "ref", func(ctx context.Context, st *procedure.Store, s *account.Session, n, t string) (*procedure.Case, error) {
		return st.Cases.DeclareJudicialClosed(ctx, s, n, t)
	})
	runCaseAck = caseStep("ack", "", func(ctx context.Context, st *procedure.Store, s *account.Session, n, _ string) (*procedure.Case, error) {
		return st.Cases.Acknowledge(ctx, s, n)
	})
	runCaseClose = caseStep("close", "note", func(ctx context.Context, st *procedure.Store, s *account.Session, n, t string) (*procedure.Case, error) {
		return st.Cases.Close(ctx, s, n, t)
	})
)

func runCaseExport(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "case export")
	fs := c.fs
	src := fs.String("source", "", "source address (folder:/path, mediamtx:…, frigate:…)")
	srcName := fs.String("source-name", "", "the source's display name, recorded and printed with its address")
	out := fs.String("out", "", "output folder")
	enc := fs.Bool("encrypt", true, "AES-256 archive: every export is encrypted (R-ENC-1)")
	clear := fs.Bool("clear", false, "refused: every export is encrypted, internal ones included (R-ENC-1)")
	emergency := fs.String("emergency", "", "emergency export before authorization: the emergency reason (records an incident)")
	onSite := fs.Bool("on-site", false, "refused: viewing on site happens in the window's player, with no file (R-ENC-1)")
	keep := fs.String("keep", "", "access request: face track ids to keep visible (the requester)")
	mode := fs.String("mode", "mosaic", "access request: mosaic or solid")
	native := fs.Bool("native", false, "also copy the VMS's own recording files (R-EXP-5)")
	pwFD := fs.Int("password-fd", 0, "write the archive password to this open file descriptor (e.g. 3) instead of the terminal (R-ENC-2)")
	n, err := c.parseCase(args)
	if err != nil {
		return err
	}
	if *out == "" {
		return Usagef("--out is required")
	}
	if *onSite {
		return Usagef("viewing on site happens in the window's player, with no file (R-ENC-1): no export; record it with case deliver --support on_site --mode on_site")
	}
	if *clear || !*enc {
		return Usagef("every export is encrypted, internal ones included (R-ENC-1): --clear is refused")
	}
	// R-ENC-2: the password is shown on the terminal, or written to the
	// descriptor the caller named; never into a redirected output. Where
	// it goes is settled before anything is exported.
	pwOut, err := passwordOut(env, *pwFD)
	if err != nil {
		return err
	}
	defer pwOut.close()
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		cs, err := st.Cases.Get(ctx, sess, n)
		if err != nil {
			return err
		}
		opt := procedure.ExportOptions{OutDir: *out, Emergency: *emergency, Native: *native, SourceName: *srcName,
			Encrypt: *enc || cs.ExportChoices().EncryptRequired}
		if cs.Reason == procedure.ReasonAccess {
			var ids []int
			for _, k := range SplitList(*keep) {
				var id int
				if _, err := fmt.Sscan(k, &id); err != nil {
					return Usagef("--keep: %q is not a track id", k)
				}
				ids = append(ids, id)
			}
			// The plans reviewed for the case (window or `case review`)
			// apply to the clips they were made on (R-ANON-3).
			anon, err := redaction.New(st).Anonymizer(ctx, sess, n, anonymize.Options{Keep: ids, Mode: anonymize.Mode(*mode), Reviewer: sess.User})
			if err != nil {
				return err
			}
			warnFallback(env, anonymize.DetectorInfo{Fallback: anon.Fallback()})
			opt.Anonymizer = anon
		}
		if opt.Source, err = openSource(ctx, *src); err != nil {
			return err
		}
		if env.StderrIsTerminal {
			opt.OnProgress = exportBar(env.Stderr)
		}
		res, err := st.Cases.Export(ctx, sess, n, opt)
		if env.StderrIsTerminal {
			fmt.Fprintln(env.Stderr)
		}
		if res != nil {
			printExport(env, st, res)
			if res.Password != "" {
				// Shown once, never stored (R-ENC-2), even when the
				// export failed after writing its archive.
				if perr := pwOut.give(env, res.Password); perr != nil {
					return errors.Join(err, perr)
				}
			}
		}
		if err != nil {
			return err
		}
		if opt.Anonymizer != nil {
			// R-ANON-2 (rev.): "verified" only once every suspect of
			// the final check is settled.
			if cs, err = st.Cases.Get(ctx, sess, n); err != nil {
				return err
			}
			printPending(env, cs, false)
		}
		if !res.Complete {
			return &ExitError{Code: 3}
		}
		return nil
	})
}

func printExport(env *Env, st *procedure.Store, res *export.Result) {
	w := env.Stdout
	for _, f := range res.Files {
		kind := env.t("doc.tOriginal")
		if f.Reencoded {
			kind = env.t("doc.tReencoded")
		}
		if f.Anonymized {
			kind = env.t("doc.tAnonymized")
		}
		fmt.Fprintln(w, env.t("cli.export.file", "Name", f.Name, "Camera", f.Camera, "Size", f.Size, "Duration", f.Duration.Round(time.Millisecond), "Kind", kind, "SHA", f.SHA256))
	}
	for _, g := range res.Gaps {
		fmt.Fprintln(w, env.t("cli.export.gap", "Camera", g.Camera, "From", localTime(st, g.Range.Start), "To", localTime(st, g.Range.End)))
	}
	for _, e := range res.Errors {
		fmt.Fprintln(w, env.t("cli.export.error", "Error", e))
	}
	if res.Archive != "" {
		fmt.Fprintln(w, env.t("cli.export.archive", "Path", res.Archive))
	}
}

func runCaseDeliver(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "case deliver")
	fs := c.fs
	support := fs.String("support", "", "usb, dvd, platform or on_site")
	media := fs.String("media", "", "inventory id of the USB key or DVD")
	mode := fs.String("mode", "", "hand, registered_mail, platform or on_site")
	name := fs.String("recipient-name", "", "name of the person receiving")
	id := fs.String("recipient-id", "", "their identity document, badge or service number")
	seal := fs.String("seal", "", "number of the seal on the medium's envelope (USB key, DVD)")
	tracking := fs.String("tracking", "", "registered mail number (mode registered_mail)")
	org := fs.String("recipient-org", "", "their organisation, when they are not the recipient named in the request (R-DLV-3)")
	fileCh := fs.String("file-channel", "", "channel of the file (default: the mode's)")
	pwCh := fs.String("password-channel", "", "channel of the password: phone, sms or hand (a sealed envelope)")
	nature := fs.String("nature", "", "nature of the recordings printed on the receipt")
	receipt := fs.String("receipt", "", "write the receipt (récépissé) PDF here")
	n, err := c.parseCase(args)
	if err != nil {
		return err
	}
	// R-DLV-3: the handover is recorded when it happens (date: now).
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		cs, err := st.Delivery.Deliver(ctx, sess, n, procedure.DeliverInput{Support: *support, MediaID: *media, Mode: *mode,
			RecipientName: *name, RecipientID: *id, RecipientOrg: *org, Seal: *seal, Tracking: *tracking, FileChannel: *fileCh, PasswordChannel: *pwCh, Nature: *nature})
		if err != nil {
			return err
		}
		if err := printState(env, st, cs); err != nil {
			return err
		}
		if *receipt != "" {
			if err := writePDF(*receipt, func(w io.Writer) error { return papers.New(st).Receipt(ctx, sess, n, w, papers.PrintOptions{}) }); err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, env.t("cli.deliver.receipt", "Path", *receipt))
		}
		return nil
	})
}

// runCaseAttach attaches the scanned signed receipt of a delivery
// (R-DLV-1) or, with --requisition, the scanned judicial requisition, as
// soon as it counts as the case's authorization (R-AUTH-2).
func runCaseAttach(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "case attach")
	req := c.fs.String("requisition", "", "scan of the judicial requisition (PDF or image) instead of a signed receipt")
	pos, err := c.parse(args)
	if err != nil {
		return err
	}
	file := *req
	switch {
	case *req != "" && len(pos) != 1:
		return Usagef("want a case number and --requisition FILE")
	case *req == "" && len(pos) != 2:
		return Usagef("want a case number and the scanned receipt file, or --requisition FILE")
	case *req == "":
		file = pos[1]
	}
	if err := procedure.CheckCaseNumber(pos[0]); err != nil {
		return err
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		attach, what := st.Delivery.AttachReceipt, "cli.attach.receipt"
		if *req != "" {
			attach, what = st.Delivery.AttachRequisition, "cli.attach.requisition"
		}
		a, err := attach(ctx, sess, pos[0], filepath.Base(file), data)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, env.t(what, "Number", pos[0], "Name", a.Name, "SHA", a.SHA256))
		return nil
	})
}

// runCaseReview stores a plan made with `plan` and reviewed (kept tracks,
// false detections, manual regions) with the case: the case's export
// renders it on the clip it was made on (R-ANON-3, R-ANON-4).
func runCaseReview(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "case review")
	cam := c.fs.String("camera", "", "camera id of the reviewed clip")
	planFile := c.fs.String("plan", "", "the reviewed plan (JSON, from `plan`)")
	pos, err := c.parse(args)
	if err != nil {
		return err
	}
	n, err := oneCase(pos)
	if err != nil {
		return err
	}
	if *cam == "" || *planFile == "" {
		return Usagef("want --camera ID and --plan PLAN.json")
	}
	plan, err := anonymize.ReadPlan(*planFile)
	if err != nil {
		return err
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		if err := redaction.New(st).SaveReview(ctx, sess, n, *cam, plan); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "plan revu de la caméra %s joint au dossier %s\n", *cam, n)
		return nil
	})
}

func runCaseReceipt(ctx context.Context, env *Env, args []string) error {
	return printDoc(ctx, env, args, "receipt", false, func(ctx context.Context, st *procedure.Store, s *account.Session, n, _ string, w io.Writer) error {
		return papers.New(st).Receipt(ctx, s, n, w, papers.PrintOptions{})
	})
}

// runCaseLetter prints the letter refusing an access request, with the
// person's right to complain to the CNIL (R-DL-1).
func runCaseLetter(ctx context.Context, env *Env, args []string) error {
	return printDoc(ctx, env, args, "letter", false, func(ctx context.Context, st *procedure.Store, s *account.Session, n, _ string, w io.Writer) error {
		return papers.New(st).RefusalLetter(ctx, s, n, w, papers.PrintOptions{Lang: env.catalog().Lang()})
	})
}

// runCaseRecipientLetter prints the letter that goes with the archive: what
// it holds, how to open it and check it, and that the password comes by
// another channel (R-DLV-1 rev.).
func runCaseRecipientLetter(ctx context.Context, env *Env, args []string) error {
	return printDoc(ctx, env, args, "recipient-letter", false, func(ctx context.Context, st *procedure.Store, s *account.Session, n, _ string, w io.Writer) error {
		return papers.New(st).RecipientLetter(ctx, s, n, w, papers.PrintOptions{Lang: env.catalog().Lang()})
	})
}

// runCaseAnswerLetter prints the answer to an access request, with what
// GDPR art. 15 requires (R-DL-1).
func runCaseAnswerLetter(ctx context.Context, env *Env, args []string) error {
	return printDoc(ctx, env, args, "answer-letter", false, func(ctx context.Context, st *procedure.Store, s *account.Session, n, _ string, w io.Writer) error {
		return papers.New(st).AnswerLetter(ctx, s, n, w, papers.PrintOptions{Lang: env.catalog().Lang()})
	})
}

func runCaseLabel(ctx context.Context, env *Env, args []string) error {
	return printDoc(ctx, env, args, "label", true, func(ctx context.Context, st *procedure.Store, s *account.Session, n, media string, w io.Writer) error {
		return papers.New(st).Label(ctx, s, n, media, w, papers.PrintOptions{})
	})
}

func printDoc(ctx context.Context, env *Env, args []string, name string, withMedia bool,
	render func(ctx context.Context, st *procedure.Store, s *account.Session, n, media string, w io.Writer) error) error {
	c := newRegCmd(env, "case "+name)
	out := c.fs.String("out", "", "PDF file to write")
	media := new(string)
	if withMedia {
		media = c.fs.String("media", "", "inventory id of the medium")
	}
	n, err := c.parseCase(args)
	if err != nil {
		return err
	}
	if *out == "" {
		return Usagef("--out F.pdf is required")
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		return writePDF(*out, func(w io.Writer) error { return render(ctx, st, sess, n, *media, w) })
	})
}

func runCaseShow(ctx context.Context, env *Env, args []string) error {
	c := newRegCmd(env, "case show")
	n, err := c.parseCase(args)
	if err != nil {
		return err
	}
	return c.asUser(ctx, func(st *procedure.Store, sess *account.Session) error {
		cs, err := st.Cases.Get(ctx, sess, n)
		if err != nil {
			return err
		}
		return printCase(env.Stdout, env.catalog(), st, cs)
	})
}

// printCase prints a case's details, then its events.
func printCase(out io.Writer, cat *i18n.Catalog, st *procedure.Store, c *procedure.Case) error {
	w := table(out)
	kv := func(k, v string) { fmt.Fprintf(w, "%s\t%s\n", k, v) }
	kv(cat.T("cli.case.number"), c.Number)
	kv(cat.T("cli.case.state"), procedure.TitleIn(cat.Lang(), "state", string(c.State)))
	kv(cat.T("cli.case.reason"), procedure.TitleIn(cat.Lang(), "reason", string(c.Reason))+" "+c.Detail)
	if c.RequisitionRef != "" {
		kv(cat.T("cli.case.requisition"), c.RequisitionRef)
	}
	kv(cat.T("cli.case.requester"), strings.TrimSpace(c.Requester.Name+" — "+c.Requester.Org+" — "+c.Requester.Contact))
	kv(cat.T("cli.case.recipient"), c.Recipient)
	kv(cat.T("cli.case.received"), localTime(st, c.Received))
	kv(cat.T("cli.case.range"), localTime(st, c.Range.Start)+" → "+localTime(st, c.Range.End))
	kv(cat.T("cli.case.cameras"), strings.Join(c.Cameras, ", "))
	kv(cat.T("cli.case.justification"), c.Justification)
	if c.PersonalErased {
		kv(cat.T("cli.case.personal"), cat.T("cli.case.personal_erased"))
	}
	if a := c.Authorization; a != nil {
		kv(cat.T("cli.case.authorization"), cat.T("cli.case.authorized_by", "By", a.By, "Role", a.Role.Title(), "Date", localTime(st, a.At), "Basis", a.Basis))
	}
	if r := c.Refusal; r != nil {
		kv(cat.T("cli.case.refusal"), cat.T("cli.case.refused_by", "By", r.By, "Date", localTime(st, r.At), "Note", r.Note))
	}
	for _, t := range c.Tasks() {
		kv(cat.T("cli.case.task_label"), t.Text)
	}
	if next, r := c.Next(); next != "" {
		kv(cat.T("cli.case.next"), cat.T("case.next."+string(r), "Act", cat.T("action."+string(next))))
	}
	for _, a := range c.Attachments {
		kv(cat.T("cli.case.attachment"), fmt.Sprintf("%s : %s, %d o, sha256 %s", a.Title(), a.Name, a.Size, a.SHA256))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(out, "\n"+cat.T("cli.case.entries"))
	w = table(out)
	for _, e := range c.Entries {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", e.Seq, localTime(st, e.Time), e.Actor, e.Action, papers.SummaryIn(cat.Lang(), e, st.Location()))
	}
	return w.Flush()
}

var runCaseList = listing[procedure.CaseSummary]{
	name: "case list",
	get: func(st *procedure.Store, ctx context.Context, sess *account.Session) ([]procedure.CaseSummary, error) {
		return st.Cases.List(ctx, sess)
	},
	header: "DOSSIER\tÉTAT\tMOTIF\tOUVERT LE\tCAMÉRAS\tTÂCHES",
	row: func(st *procedure.Store, c procedure.CaseSummary) []any {
		return []any{c.Number, c.State, c.Reason, localTime(st, c.Opened), strings.Join(c.Cameras, ","), len(c.Tasks)}
	},
}.run
