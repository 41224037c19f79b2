package ui

import (
	"fmt"
	"strings"
	"time"

	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/vms"
)

// Time formats: French day first, English ISO.
func (u *UI) timeLayout() string {
	if u.tr.Lang() == "en" {
		return "2006-01-02 15:04:05"
	}
	return "02/01/2006 15:04:05"
}

func (u *UI) dateLayout() string {
	if u.tr.Lang() == "en" {
		return "2006-01-02"
	}
	return "02/01/2006"
}

func (u *UI) fmtTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(u.loc).Format(u.timeLayout())
}

func (u *UI) fmtClock(t time.Time) string { return t.In(u.loc).Format("15:04:05") }

func (u *UI) fmtRange(r vms.Range) string {
	if r.Start.IsZero() {
		return "—"
	}
	end := r.End.In(u.loc).Format(u.timeLayout())
	if sameDay(r.Start.In(u.loc), r.End.In(u.loc)) {
		end = u.fmtClock(r.End)
	}
	return u.fmtTime(r.Start) + " → " + end
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// parseTime reads a local time typed in the current layout (seconds
// optional).
func (u *UI) parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	lay := u.timeLayout()
	if t, err := time.ParseInLocation(lay, s, u.loc); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation(strings.TrimSuffix(lay, ":05"), s, u.loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s", u.t("error.time_format", "Example", time.Date(2026, 11, 23, 8, 30, 0, 0, u.loc).Format(lay)))
	}
	return t, nil
}

// roleTitle, stateTitle, reasonTitle name register values in the window's
// language.
func (u *UI) roleTitle(r register.Role) string      { return u.t("role." + string(r)) }
func (u *UI) stateTitle(s procedure.State) string   { return u.t("state." + string(s)) }
func (u *UI) reasonTitle(r procedure.Reason) string { return u.t("reason." + string(r)) }
