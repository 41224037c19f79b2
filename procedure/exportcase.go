package procedure

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"mileo.tech/extract/account"
	"mileo.tech/extract/incident"
	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/register"

	"mileo.tech/extract/export"
	"mileo.tech/extract/retention"
	"mileo.tech/extract/vms"
)

// ExportOptions configure [Store.ExportCase].
type ExportOptions struct {
	Source vms.Source
	OutDir string
	// Encrypt writes an AES-256 archive; required when the recipient is
	// outside the organisation (R-ENC-1).
	Encrypt bool
	// Anonymizer blurs third parties' faces; required for access requests
	// unless the data subject views the footage on site (R-ANON-1).
	Anonymizer export.Anonymizer
	// OnSite is refused: viewing on site happens in the application's
	// player, with no file (R-ENC-1 rev.); see DeliveryService.Deliver.
	OnSite bool
	// Emergency, when not empty, is the explicit emergency reason of an
	// export done before authorization (R-AUTH-3). It records an incident
	// and a task to authorize afterwards.
	Emergency string
	// SourceName is the display name people gave the source, recorded
	// with its address ("" when none).
	SourceName string
	// Native also copies the VMS's own files (R-EXP-5).
	Native     bool
	OnProgress func(export.Progress)
}

type encryptData struct {
	Archive string `json:"archive"`
	SHA256  string `json:"sha256"`
	Size    int64  `json:"size"`
	Cipher  string `json:"cipher"`
	// The password is shown once and never stored (R-ENC-2).
	PasswordStored bool `json:"password_stored"`
}

type anonymizeData struct {
	File     string                `json:"file"`
	Camera   string                `json:"camera"`
	Document *export.Anonymization `json:"document"`
}

type gapsData struct {
	Gaps   []GapRecord `json:"gaps"`
	Errors []string    `json:"errors,omitempty"`
}

type exportFailData struct {
	Error string `json:"error"`
	// Canceled: the person who started the export stopped it (or closed
	// the window); it did not fail (R-REG-1 rev.).
	Canceled bool `json:"canceled,omitempty"`
}

// checkExport says whether case c may be exported now with opt.
func checkExport(c *Case, opt ExportOptions) error {
	n := c.Number
	switch c.State {
	case StateRefused:
		return errorf(register.ErrNotAuthorized, "err.export.case_was_refused", "Number", n)
	case StateDelivered, StateClosed:
		return errorf(register.ErrState, "err.export.case_cannot_exported", "Number", n, "State", i18n.Key("err.state."+string(c.State)))
	case StateRequested:
		return errorf(register.ErrNotAuthorized, "err.export.case_confirmed_nor", "Number", n)
	}
	emergency := strings.TrimSpace(opt.Emergency) != ""
	if c.Authorization == nil {
		if !emergency {
			return errorf(register.ErrNotAuthorized, "err.export.case_authorized_security", "Number", n)
		}
	} else if emergency {
		return errorf(register.ErrInvalid, "err.export.case_authorized_emergency", "Number", n)
	}
	if a := c.Authorization; a != nil && a.Basis == "requisition" && !c.hasKind(KindRequisitionScan) {
		// R-AUTH-2 (rev.): a typed reference alone authorizes nothing; the
		// requisition itself is attached, with its SHA-256, before the export.
		return errorf(register.ErrNotAuthorized, "err.export.requisition_scan", "Number", n)
	}
	if opt.Native && c.Reason == ReasonAccess {
		// R-EXP-5, R-ANON-1: native files carry every third party unblurred.
		return errorf(register.ErrInvalid, "err.export.native_access", "Number", n)
	}
	if opt.OnSite {
		// R-ENC-1 (rev.), R-ANON-1: on-site viewing happens inside the
		// application, with no file: the person is shown the footage in
		// the case's player, and the handover is recorded as on site.
		return errorf(register.ErrInvalid, "err.export.on_site_in_app", "Number", n)
	}
	if c.Reason == ReasonAccess && opt.Anonymizer == nil {
		return errorf(register.ErrNeedsAnonymizer, "err.export.case_access_request", "Number", n)
	}
	if !opt.Encrypt {
		// R-ENC-1 (rev.): every extraction that leaves as a file is
		// encrypted, internal ones and on-site viewing included.
		return errorf(register.ErrInvalid, "err.export.must_encrypt", "Number", n)
	}
	if opt.Source == nil {
		return errorf(register.ErrInvalid, "err.export.no_source_export")
	}
	if opt.OutDir == "" {
		return errorf(register.ErrInvalid, "err.export.no_output_folder")
	}
	return nil
}

// ExportCase runs the export of a case with its cameras and range, after
// checking the procedure: the case must be authorized (R-AUTH-1), or the
// export is an emergency with its reason, which records an incident
// (R-AUTH-3). The output folder is tracked as a temporary copy from its
// creation (R-PRG-1). Afterwards it records the export, the encryption
// (the password is returned once in the result and never stored), the
// anonymization documents (R-ANON-4) and the gaps, and writes a checkpoint.
// A result with gaps is recorded and returned with its gaps.
func (svc *CaseService) Export(ctx context.Context, sess *account.Session, number string, opt ExportOptions) (*export.Result, error) {
	s := svc.s
	out, err := filepath.Abs(opt.OutDir)
	if err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	if opt.OutDir != "" {
		opt.OutDir = out
		// R-PRG-3: exports go into a folder of their own, never into the
		// data folder, whose files a purge must not touch.
		if data, err := filepath.Abs(s.Dir()); err == nil && retention.Within(out, data) {
			return nil, errorf(register.ErrInvalid, "err.export.out_in_data", "Dir", out)
		}
	}
	opt.Emergency = strings.TrimSpace(opt.Emergency)
	// Held until the export's end is recorded: a start whose lock nobody
	// holds is an export interrupted (CheckInterruptedExports).
	hold, err := s.holdExport(number)
	if err != nil {
		return nil, err
	}
	defer hold.Release()
	var c *Case
	var copyID string // the output folder's tracked copy
	var art30 *Art30  // the export's record of processing (R-REG-5 rev.)
	var refused error // an export without authorization, refused
	err = s.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.Accounts.SignerTx(ctx, tx, sess, register.OpHandle)
		if err != nil {
			return err
		}
		if c, err = s.loadCase(ctx, tx, number); err != nil {
			return err
		}
		if err := checkExport(c, opt); err != nil {
			if !errors.Is(err, register.ErrNotAuthorized) {
				return err
			}
			// PROC-VMS-006 §02: an export without prior authorization is
			// a violation declared in the compliance register; the
			// attempt, refused, is recorded in the same transaction
			// (R-AUTH-1, issue 15).
			refused = err
			_, err = s.AppendTx(ctx, tx, sg, incident.Record(incident.ExportWithoutAuthorization, number,
				"tentative d'export refusée : le dossier n'est pas autorisé (PROC-VMS-006 §02)"))
			return err
		}
		if err := checkExporter(c, sess.User); err != nil {
			return err
		}
		anon := c.Reason == ReasonAccess && opt.Anonymizer != nil
		tr, id, err := s.Purges.TrackRecord(ctx, tx, retention.TrackInput{Case: number, Kind: retention.CopyExport, Location: opt.OutDir}, c.Internal)
		copyID = id
		if err != nil {
			return err
		}
		var deadline time.Time
		if d, ok := tr.Data.(retention.TrackData); ok {
			deadline = d.Deadline
		}
		if art30, err = art30For(ctx, tx, c, deadline); err != nil {
			return err
		}
		start := register.Record{Action: "case.export.start", Subject: number, Data: ExportStartData{
			OutDir: opt.OutDir, Cameras: c.Cameras, Range: c.Range, Source: sourceLabel(opt),
			Encrypt: opt.Encrypt, Anonymize: anon, OnSite: opt.OnSite, Emergency: opt.Emergency != "", Copy: copyID}}
		if opt.Emergency != "" {
			start.Personal = casePersonal{Note: opt.Emergency}
		}
		recs := []register.Record{start, tr}
		if opt.Emergency != "" {
			recs = append(recs,
				incident.Record(incident.ExportWithoutAuthorization, number, "export en urgence avant autorisation (PROC-VMS-006 §02) : à autoriser a posteriori"),
				register.Record{Action: "task.notify", Subject: number, Data: taskData{Task: "authorize_after_emergency", To: register.RoleSecurityManager}})
		}
		for _, r := range recs {
			if _, err := s.AppendTx(ctx, tx, sg, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if refused != nil {
		return nil, refused
	}
	// The cameras' display names, read now (the export's end is recorded
	// even if the source stops answering), within a bound.
	nctx, ncancel := context.WithTimeout(ctx, 15*time.Second)
	names := cameraNames(nctx, opt.Source, c.Cameras)
	ncancel()
	job := export.Job{Source: opt.Source, Cameras: c.Cameras, Range: c.Range, OutDir: opt.OutDir, CaseNumber: number,
		Location: s.Location(), Encrypt: opt.Encrypt, Native: opt.Native, OnProgress: opt.OnProgress, WorkDir: s.Purges.WorkDir()}
	if c.Reason == ReasonAccess {
		job.Anonymizer = opt.Anonymizer
	}
	res, runErr := export.Run(ctx, job)
	// Record what happened even if ctx was cancelled meanwhile.
	rctx := context.WithoutCancel(ctx)
	if res == nil || len(res.Files) == 0 {
		msg := "no file produced"
		if runErr != nil {
			msg = runErr.Error()
		}
		err := s.Write(rctx, func(tx *sql.Tx) error {
			sg, err := s.Accounts.SignerTx(rctx, tx, sess, register.OpHandle)
			if err != nil {
				return err
			}
			if res != nil && len(res.Gaps) > 0 {
				if _, err := s.AppendTx(rctx, tx, sg, register.Record{Action: "case.gaps", Subject: number, Data: gapsFrom(res)}); err != nil {
					return err
				}
			}
			fail := exportFailData{Error: msg}
			if errors.Is(runErr, context.Canceled) {
				fail = exportFailData{Canceled: true}
			}
			if _, err = s.AppendTx(rctx, tx, sg, register.Record{Action: "case.export.fail", Subject: number, Data: fail}); err != nil {
				return err
			}
			// A folder the export left empty holds no copy: it is removed
			// and its tracking closed, so that no purge task stays for
			// nothing (R-PRG-1; issue 17).
			if empty, _ := emptyDir(opt.OutDir); empty && os.Remove(opt.OutDir) == nil {
				_, err = s.AppendTx(rctx, tx, sg, register.Record{Action: "copy.purge", Subject: number,
					Data: retention.PurgeData{Copy: copyID, Method: retention.PurgeNothingWritten, Verified: true}})
			}
			return err
		})
		_, cpErr := s.WriteCheckpoint(rctx)
		if runErr == nil {
			runErr = errors.New("export produced no file")
		}
		return res, errors.Join(runErr, err, cpErr)
	}
	rec := ExportRecord{Complete: res.Complete, Encrypted: opt.Encrypt, OutDir: opt.OutDir, Source: sourceLabel(opt),
		CameraNames: names,
		OnSite:      opt.OnSite, Emergency: opt.Emergency != "", Errors: res.Errors, RangeCopied: c.Range, CopyID: copyID, Art30: art30}
	for _, f := range res.Files {
		rec.Files = append(rec.Files, ExportFile{Camera: f.Camera, Name: f.Name, Size: f.Size, SHA256: f.SHA256, Codec: f.Codec,
			DurationMS: f.Duration.Milliseconds(), Reencoded: f.Reencoded, Anonymized: f.Anonymized})
		rec.Anonymized = rec.Anonymized || f.Anonymized
	}
	rec.Gaps = gapsFrom(res).Gaps
	// What the export wrote, by name and SHA-256: a purge touches these
	// files and nothing else (R-PRG-3).
	if rec.Written, err = writtenFiles(opt.OutDir); err != nil {
		return res, fmt.Errorf("list the export's files: %w", err)
	}
	var enc *encryptData
	if opt.Encrypt && res.Archive != "" {
		sum, size, err := fileSHA256(res.Archive)
		if err != nil {
			return res, fmt.Errorf("hash archive: %w", err)
		}
		rec.Archive = filepath.Base(res.Archive)
		enc = &encryptData{Archive: rec.Archive, SHA256: sum, Size: size, Cipher: "AES-256 (ZIP)", PasswordStored: false}
	}
	err = s.Write(rctx, func(tx *sql.Tx) error {
		sg, err := s.Accounts.SignerTx(rctx, tx, sess, register.OpHandle)
		if err != nil {
			return err
		}
		recs := []register.Record{{Action: "case.export", Data: rec}}
		if enc != nil {
			recs = append(recs, register.Record{Action: "case.encrypt", Data: enc})
		}
		for _, f := range res.Files {
			if f.Anon != nil {
				recs = append(recs, register.Record{Action: "case.anonymize", Data: anonymizeData{File: f.Name, Camera: f.Camera, Document: f.Anon}})
			}
		}
		if len(rec.Gaps) > 0 || len(res.Errors) > 0 {
			recs = append(recs, register.Record{Action: "case.gaps", Data: gapsFrom(res)})
		}
		for _, r := range recs {
			r.Subject = number
			if _, err := s.AppendTx(rctx, tx, sg, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	if _, err := s.WriteCheckpoint(rctx); err != nil {
		return res, err
	}
	return res, runErr
}

// emptyDir reports whether dir exists and holds nothing.
func emptyDir(dir string) (bool, error) {
	es, err := os.ReadDir(dir)
	return err == nil && len(es) == 0, err
}

func gapsFrom(res *export.Result) gapsData {
	d := gapsData{Gaps: []GapRecord{}, Errors: res.Errors}
	for _, g := range res.Gaps {
		d.Gaps = append(d.Gaps, GapRecord{Camera: g.Camera, Range: utcRange(g.Range), Cause: g.Cause, Segment: g.Segment, Frames: g.Frames})
	}
	return d
}

func fileSHA256(p string) (string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// sourceLabel is the source as recorded: its kind and name, after the
// display name people gave it.
func sourceLabel(opt ExportOptions) string {
	info := opt.Source.Info()
	l := strings.TrimSpace(info.Kind + " " + info.Name)
	if n := strings.TrimSpace(opt.SourceName); n != "" && n != info.Name {
		l = n + " (" + l + ")"
	}
	return l
}

// cameraNames are the display names the source gives the cameras, for
// those it names otherwise than by their ID. A source that cannot list
// them now gives none: the IDs are printed.
func cameraNames(ctx context.Context, src vms.Source, ids []string) map[string]string {
	cams, err := src.Cameras(ctx)
	if err != nil {
		return nil
	}
	out := map[string]string{}
	for _, cm := range cams {
		if n := strings.TrimSpace(cm.Name); n != "" && n != cm.ID && slices.Contains(ids, cm.ID) {
			out[cm.ID] = n
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
