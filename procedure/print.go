package procedure

import (
	"context"

	"mileo.tech/extract/account"
	"mileo.tech/extract/register"
)

// RecordPrint records that a document of a case was printed (doc names
// it: "sheet", "receipt"…), a step of the case anyone who may read it
// takes (R-REG-3). Package papers calls it before it renders any document
// of a case: every print is an entry. It returns the case as the entry
// leaves it.
func (svc *CaseService) RecordPrint(ctx context.Context, sess *account.Session, number, doc string) (*Case, error) {
	return svc.s.caseStep(ctx, sess, number, register.OpReadCase, func(c *Case) ([]register.Record, error) {
		return []register.Record{{Action: "case.print", Data: printData{Document: doc, Format: "pdf"}}}, nil
	})
}
