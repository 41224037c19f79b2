// Package redaction anonymizes the footage of a data subject's access
// request with the plans a person reviewed for it (R-ANON-1, R-ANON-3):
// it encodes the reviewed plans the procedure stores with the case
// ([procedure.CaseService.AttachReviewPlan]), and gives the export an
// anonymizer that renders each clip with the plan made on it (matched by
// the clip's SHA-256), or with automatic detection where none matches, then
// runs the independent final check on what it rendered (R-ANON-2 rev.).
//
// It sits above the procedure, beside package papers: the procedure keeps
// the rules (which case may take a plan, what the export records, that
// nothing anonymized leaves before the final check is settled), and needs
// no image code itself. The window and the command line both use it.
package redaction
