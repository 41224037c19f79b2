package retention

import (
	"context"
	"database/sql"

	"mileo.tech/extract/account"
	"mileo.tech/extract/register"
)

// ErasePersonal erases the personal data and attachments whose retention
// is over (DPO only), and records which (R-REG-4). Nothing is erased
// before its date; the chain stays verifiable because entries only hold
// salted commitments to these data.
func (svc *PurgeService) ErasePersonal(ctx context.Context, sess *account.Session) (int, error) {
	s := svc.s
	var n int
	err := s.log.Write(ctx, func(tx *sql.Tx) error {
		sg, err := s.acc.SignerTx(ctx, tx, sess, register.OpErase)
		if err != nil {
			return err
		}
		now := register.FormatTime(s.log.Now())
		// The stored retention dates are not signed: the data of an entry
		// are erased only once its signed time is also past the retention
		// period (R-REG-4), whatever a changed date says.
		cutoff := register.FormatTime(s.log.Now().AddDate(-register.RetentionYears, 0, 0))
		var d register.EraseData
		rows, err := tx.QueryContext(ctx, `SELECT seq FROM personal WHERE data IS NOT NULL AND until <= ?
			AND seq IN (SELECT seq FROM entries WHERE time <= ?) ORDER BY seq`, now, cutoff)
		if err != nil {
			return err
		}
		for rows.Next() {
			var seq int64
			if err := rows.Scan(&seq); err != nil {
				rows.Close()
				return err
			}
			d.Entries = append(d.Entries, seq)
		}
		rows.Close()
		rows, err = tx.QueryContext(ctx, `SELECT lower(hex(sha256)) FROM attachments WHERE data IS NOT NULL AND until <= ?
			AND seq IN (SELECT seq FROM entries WHERE time <= ?) ORDER BY seq`, now, cutoff)
		if err != nil {
			return err
		}
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				rows.Close()
				return err
			}
			d.Attachments = append(d.Attachments, h)
		}
		rows.Close()
		n = len(d.Entries) + len(d.Attachments)
		if n == 0 {
			return nil
		}
		if _, err := s.log.AppendTx(ctx, tx, sg, register.Record{Action: "personal.erase", Data: d}); err != nil {
			return err
		}
		for _, seq := range d.Entries {
			if _, err := tx.ExecContext(ctx, `UPDATE personal SET salt = NULL, data = NULL WHERE seq = ?`, seq); err != nil {
				return err
			}
		}
		for _, h := range d.Attachments {
			if _, err := tx.ExecContext(ctx, `UPDATE attachments SET data = NULL WHERE lower(hex(sha256)) = ?`, h); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && n > 0 {
		// Erased means gone from the disk too, WAL included.
		err = s.log.Scrub(ctx)
	}
	return n, err
}
