package procedure

import (
	"context"
	"time"

	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/register"
	"mileo.tech/extract/siteconfig"
)

// Art30 is the record of processing an export carries (GDPR art. 30,
// PROC-VMS-006 §05, R-REG-5 rev.): the site's statements as the DPO set
// them on the day (or their defaults), and what this extraction adds —
// its purpose, its recipients, its copy's purge deadline. The texts are
// stored as they read on the day, so that a later change of the site's
// record does not rewrite what an earlier export declared.
type Art30 struct {
	Controller string `json:"controller"`
	DPO        string `json:"dpo"`
	Purpose    string `json:"purpose"` // the site's purpose of the video protection
	Extract    string `json:"extract"` // the purpose of this extraction, from the case's reason
	Persons    string `json:"persons"` // categories of persons
	Data       string `json:"data"`    // categories of data
	Recipients string `json:"recipients"`
	Retention  string `json:"retention"`
	Security   string `json:"security"`
	// CopyDeadline is when the export's copy is due for purge (R-PRG-2).
	CopyDeadline time.Time `json:"copy_deadline,omitzero"`
	// Defaults lists the statements still at the catalogue's default
	// text: the DPO has not set them.
	Defaults []string `json:"defaults,omitempty"`
}

// art30For builds the art. 30 record of an export of case c, read through
// q in the export's transaction.
func art30For(ctx context.Context, q register.Querier, c *Case, deadline time.Time) (*Art30, error) {
	lang, err := siteconfig.PrintLanguage(ctx, q)
	if err != nil {
		return nil, err
	}
	rec, err := siteconfig.RecordIn(ctx, q, lang)
	if err != nil {
		return nil, err
	}
	cat := i18n.New(lang)
	a := &Art30{
		Controller: rec.Get("art30.controller"), DPO: rec.Get("art30.dpo"), Purpose: rec.Get("art30.purpose"),
		Persons: rec.Get("art30.persons"), Data: rec.Get("art30.data"), Retention: rec.Get("art30.retention"),
		Security: rec.Get("art30.security"), CopyDeadline: deadline,
		Extract:    cat.T("art30.extract." + string(c.Reason)),
		Recipients: cat.T("art30.recipients." + string(c.Reason)),
	}
	if c.Internal {
		a.Recipients = cat.T("art30.recipients.internal")
	}
	for _, k := range siteconfig.RecordKeys {
		if rec.Default[k] {
			a.Defaults = append(a.Defaults, k)
		}
	}
	return a, nil
}
