package ui

import (
	"context"
	"time"

	"mileo.tech/extract/procedure"
	"mileo.tech/extract/ui/player"
)

// window is the UI as the window's own packages see it: it implements the
// small interfaces they declare (player.Window, ...), so that none of them
// needs the whole UI type.
type window struct{ *UI }

// window is u seen from the window's packages.
func (u *UI) window() window { return window{u} }

var _ player.Window = window{}

func (w window) Ctx() context.Context                  { return w.ctx }
func (w window) T(id string, kv ...any) string         { return w.t(id, kv...) }
func (w window) ErrText(err error) string              { return w.errText(err) }
func (w window) LogErr(what string, err error)         { w.logErr(what, err) }
func (w window) FmtTime(t time.Time) string            { return w.fmtTime(t) }
func (w window) FmtClock(t time.Time) string           { return w.fmtClock(t) }
func (w window) PreviewWork() (*procedure.Work, error) { return w.previewWork() }
