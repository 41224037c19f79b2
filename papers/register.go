package papers

import (
	"context"
	"database/sql"
	"fmt"
	"io"

	"mileo.tech/extract/account"
	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/internal/sheet"
	"mileo.tech/extract/register"
	"mileo.tech/extract/siteconfig"
)

type registerExportData struct {
	Format  string `json:"format"`
	Entries int64  `json:"entries"`
	Purpose string `json:"purpose"`
}

// Formats of [Service.ExportRegister].
const (
	// FormatPDF: the register of the exports, one row per case, then every
	// entry and the signed checkpoint.
	FormatPDF = "pdf"
	// FormatCSV: the register of the exports, one row per case (GDPR art.
	// 30: requester, recipient, justification, decision, handover identity
	// and date, purges, state).
	FormatCSV = "csv"
	// FormatEntriesCSV: every entry of the register, one per row.
	FormatEntriesCSV = "csv-entries"
)

// ExportRegister writes the register for the DPO or the CNIL (R-REG-5
// rev.): as PDF, the register of the exports with one row per case — the
// record of processing activities, GDPR art. 30, PROC-VMS-006 §05 — then
// every entry; as CSV, the rows of the cases; as csv-entries, every entry.
// Personal data erased at the end of their retention print as erased. The
// export is itself an entry of the register.
func (p *Service) ExportRegister(ctx context.Context, sess *account.Session, format string, w io.Writer, o PrintOptions) error {
	st := p.st
	if format != FormatPDF && format != FormatCSV && format != FormatEntriesCSV {
		return errorf(register.ErrInvalid, "err.print.register_export_format", "Format", format)
	}
	err := st.Write(ctx, func(tx *sql.Tx) error {
		sg, err := st.Accounts.SignerTx(ctx, tx, sess, register.OpReadAll)
		if err != nil {
			return err
		}
		h, err := register.ReadHead(ctx, tx)
		if err != nil {
			return err
		}
		_, err = st.AppendTx(ctx, tx, sg, register.Record{Action: "register.export", Subject: "register",
			Data: registerExportData{Format: format, Entries: h.Seq + 1, Purpose: "registre des activités de traitement (RGPD art. 30) — consultation DPO / contrôle CNIL"}})
		return err
	})
	if err != nil {
		return err
	}
	cp, err := p.printedCheckpoint(ctx)
	if err != nil {
		return err
	}
	site, err := p.Site(ctx)
	if err != nil {
		return err
	}
	lang := langOf(o)
	reg := sheet.Register{Title: i18n.New(lang).T("doc.art30.title"), Site: site, Generated: st.Now(), Checkpoint: cp}
	rec, err := siteconfig.RecordIn(ctx, st.ReadDB(), lang)
	if err != nil {
		return err
	}
	cat := i18n.New(lang)
	for _, k := range siteconfig.RecordKeys {
		reg.Record = append(reg.Record, sheet.Statement{Heading: cat.T(k), Text: rec.Get(k), Default: rec.Default[k]})
	}
	rows, err := st.ReadDB().QueryContext(ctx, `SELECT `+register.EntryCols+` FROM entries WHERE seq <= ? ORDER BY seq`, cp.Size)
	if err != nil {
		return fmt.Errorf("register: read entries: %w", err)
	}
	es, err := register.ScanEntries(rows)
	if err != nil {
		return err
	}
	for _, e := range es {
		reg.Entries = append(reg.Entries, sheetEntry(lang, e, st.Location(), true))
	}
	if format == FormatEntriesCSV {
		return sheet.RegisterCSV(w, reg)
	}
	if reg.Cases, err = p.cases(ctx, sess, o); err != nil {
		return err
	}
	if format == FormatCSV {
		return sheet.CasesCSV(w, reg.Cases)
	}
	return sheet.RegisterPDF(w, reg, p.sheetOptions(o))
}

// cases reads every case, oldest first, with its facts (without its
// entries: the register lists them all).
func (p *Service) cases(ctx context.Context, sess *account.Session, o PrintOptions) ([]sheet.Case, error) {
	list, err := p.st.Cases.List(ctx, sess)
	if err != nil {
		return nil, err
	}
	site, pp, err := p.siteAndPeople(ctx, o)
	if err != nil {
		return nil, err
	}
	out := make([]sheet.Case, 0, len(list))
	for i := len(list) - 1; i >= 0; i-- {
		c, err := p.st.Cases.Get(ctx, sess, list[i].Number)
		if err != nil {
			return nil, err
		}
		sc := p.caseFacts(c, site, pp)
		sc.Entries = nil
		out = append(out, sc)
	}
	return out, nil
}

// Entries returns every entry of the register, oldest first, for the DPO
// and the security managers (R-REG-5: the DPO reads the whole register at
// any time). The signatures and the chain are checked by Verify, not here.
func (p *Service) Entries(ctx context.Context, sess *account.Session) ([]*register.Entry, error) {
	if err := p.st.Accounts.CheckSession(ctx, sess, register.OpReadAll); err != nil {
		return nil, err
	}
	rows, err := p.st.ReadDB().QueryContext(ctx, `SELECT `+register.EntryCols+` FROM entries ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("register: read entries: %w", err)
	}
	return register.ScanEntries(rows)
}
