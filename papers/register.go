package papers

import (
	"context"
	"database/sql"
	"fmt"
	"io"

	"mileo.tech/extract/account"
	"mileo.tech/extract/internal/sheet"
	"mileo.tech/extract/register"
)

type registerExportData struct {
	Format  string `json:"format"`
	Entries int64  `json:"entries"`
	Purpose string `json:"purpose"`
}

// ExportRegister writes the whole register as PDF or CSV for the DPO or the
// CNIL (R-REG-5). The export is itself an entry, of the GDPR art. 30 record
// of processing activities.
func (p *Service) ExportRegister(ctx context.Context, sess *account.Session, format string, w io.Writer, o PrintOptions) error {
	st := p.st
	if format != "pdf" && format != "csv" {
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
	reg := sheet.Register{Title: "Registre des extractions et des exports vidéo", Site: site, Generated: st.Now(), Checkpoint: cp}
	rows, err := st.ReadDB().QueryContext(ctx, `SELECT `+register.EntryCols+` FROM entries WHERE seq <= ? ORDER BY seq`, cp.Size)
	if err != nil {
		return fmt.Errorf("register: read entries: %w", err)
	}
	es, err := register.ScanEntries(rows)
	if err != nil {
		return err
	}
	for _, e := range es {
		reg.Entries = append(reg.Entries, sheetEntry(e, st.Location(), true))
	}
	if format == "csv" {
		return sheet.RegisterCSV(w, reg)
	}
	return sheet.RegisterPDF(w, reg, p.sheetOptions(o))
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
