package settings

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mileo.tech/extract/siteconfig"
	"mileo.tech/extract/ui/screen"
)

// newRecordCard lets the DPO state the site's record of processing (GDPR
// art. 30, R-REG-5 rev.) that every export copies: each heading a text,
// empty for the software's default.
func (s *Screen) newRecordCard() fyne.CanvasObject {
	u := s.u
	s.Record = map[string]*widget.Entry{}
	form := widget.NewForm()
	for _, k := range siteconfig.RecordKeys {
		e := widget.NewMultiLineEntry()
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(2)
		s.Record[k] = e
		form.Append(u.T(k), e)
	}
	s.RecordMsg = newMessage()
	s.SaveRecord = widget.NewButtonWithIcon(u.T("settings.record.save"), theme.DocumentSaveIcon(), s.doSaveRecord)
	s.SaveRecord.Importance = widget.HighImportance
	s.reloadRecord()
	return settingsCard(u.T("settings.record"), u.T("settings.record.help"), form, container.NewHBox(s.SaveRecord), s.RecordMsg)
}

// reloadRecord fills the headings: the DPO's text, or the default as the
// entry's placeholder. It reads while the card is built (one small read),
// before the entries are shown.
func (s *Screen) reloadRecord() {
	u := s.u
	rec, err := u.Store().Settings.Record(u.Ctx(), u.Lang())
	if err != nil {
		screen.Say(s.RecordMsg, u.ErrText(err), false)
		return
	}
	for k, e := range s.Record {
		if rec.Default[k] {
			e.SetText("")
			e.SetPlaceHolder(rec.Get(k))
		} else {
			e.SetText(rec.Get(k))
		}
	}
}

// doSaveRecord records each heading the DPO changed (one records.change
// entry each, signed by the DPO).
func (s *Screen) doSaveRecord() {
	u := s.u
	texts := map[string]string{}
	for k, e := range s.Record {
		texts[k] = e.Text
	}
	s.SaveRecord.Disable()
	changed := 0
	u.GoJob(u.Ctx(), func(ctx context.Context) error {
		cur, err := u.Store().Settings.Record(ctx, u.Lang())
		if err != nil {
			return err
		}
		for _, k := range siteconfig.RecordKeys {
			now := cur.Get(k)
			if cur.Default[k] {
				now = ""
			}
			if texts[k] == now {
				continue
			}
			if err := u.Store().Settings.SetRecord(ctx, u.Session(), k, texts[k]); err != nil {
				return err
			}
			changed++
		}
		return nil
	}, func(err error) {
		s.SaveRecord.Enable()
		if err != nil {
			screen.Say(s.RecordMsg, u.ErrText(err), false)
			return
		}
		screen.Say(s.RecordMsg, u.T("settings.record.saved", "Count", changed), true)
	})
}
