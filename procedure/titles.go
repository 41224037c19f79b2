package procedure

import "mileo.tech/extract/internal/i18n"

// title is the wording of a value of the procedure (a reason, a state, a
// support, a mode, a channel, a kind of attachment) in lang, from the one
// catalogue ("title.<kind>.<value>"); an unknown value reads as itself, an
// unknown kind of attachment as "title.attach.other".
func title(lang, kind, value string) string {
	c := i18n.New(lang)
	id := "title." + kind + "." + value
	if c.Has(id) {
		return c.T(id)
	}
	if kind == "attach" {
		return c.T("title.attach.other")
	}
	return value
}

// TitleIn is the wording of a value in lang ("fr" or "en"), for front ends
// and documents in the reader's language: kind is one of reason, state,
// support, mode, channel, attach, role.
func TitleIn(lang, kind, value string) string { return title(lang, kind, value) }
