// Package retention keeps what the procedure copies and collects only as
// long as PROC-RGPD-001 and PROC-VMS-006 allow, then purges it: the
// temporary copies (export folders, service media, encrypted working
// folders) with their deadlines, the inventory of removable media, the
// working folders left by a crash, and the personal data of the register
// at the end of their retention.
//
// # Copies
//
// A copy is tracked from its creation (copy.track, R-PRG-1) with its
// deadline: 48 h after an internal export, 30 days otherwise, at once when
// a judicial procedure closes (R-PRG-2). Overdue copies become incidents
// of the compliance register, signed by the site key, once each
// ([PurgeService.CheckOverdue], run by the procedure at every login). A
// purge is declared by the person who did it (overwrite, format,
// destruction of a medium) or done and checked by the program: the files
// an export wrote, by name and SHA-256, and nothing else
// ([PurgeService.Files]), or the crypto-erase of a working folder
// ([Work], [PurgeService.SweepWorkdirs]) (R-PRG-3).
//
// # Media
//
// The organisation's removable media are entries too (media.add,
// media.destroy, R-PRG-4); their status is rebuilt from the copies they
// hold and the deliveries that handed them over ([MediaService]).
//
// # Personal data
//
// [PurgeService.ErasePersonal] erases, for the DPO, the personal data and
// attachments past their retention (R-REG-4); the chain still verifies, as
// entries only hold salted commitments to them.
//
// # Place
//
// Retention sits below package procedure and knows no case: it reads and
// appends its own entries (copy.*, media.*, workdir.sweep,
// personal.erase) through the register, notes only the subject and time
// of a case.close, and asks the procedure, through the [Procedure]
// interface the procedure implements, for the facts of a case, the medium
// a case.deliver handed over and the incident of an overdue copy (writing
// and reading it: the compliance register is the procedure's). The
// procedure builds it (procedure.New) and holds its services
// (procedure.Store.Purges, procedure.Store.Media).
//
// Its tests run as the external package retention_test on the fixture of
// package procedure/proceduretest, with retention dot-imported.
package retention
