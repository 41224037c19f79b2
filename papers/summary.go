package papers

import (
	"encoding/json"
	"strings"
	"time"

	"mileo.tech/extract/export"
	"mileo.tech/extract/internal/i18n"
	"mileo.tech/extract/procedure"
	"mileo.tech/extract/register"
	"mileo.tech/extract/retention"
	"mileo.tech/extract/vms"
)

// The fields of the procedure's entries that a summary shows, as the
// procedure writes them (package procedure keeps these types unexported).
// A signed entry never changes, so a field of it is never renamed: reading
// it here cannot drift from the writer.
type (
	caseNewData struct {
		Reason  string    `json:"reason"`
		Range   vms.Range `json:"range"`
		Cameras []string  `json:"cameras"`
	}
	confirmData struct {
		Range   vms.Range `json:"range"`
		Cameras []string  `json:"cameras"`
		How     string    `json:"how"`
		Changed bool      `json:"changed,omitempty"`
	}
	anonymizeData struct {
		File     string                `json:"file"`
		Camera   string                `json:"camera"`
		Document *export.Anonymization `json:"document"`
	}
	gapsData struct {
		Gaps []procedure.GapRecord `json:"gaps"`
	}
)

// Summary is a one-line French description of an entry, without the
// personal data kept outside the chain ([SummaryIn] in French).
func Summary(e *register.Entry, loc *time.Location) string { return SummaryIn("fr", e, loc) }

// SummaryIn is a one-line description of an entry in lang ("fr" or "en"),
// from the catalogue ("summary.*"), without the personal data kept outside
// the chain.
func SummaryIn(lang string, e *register.Entry, loc *time.Location) string {
	c := i18n.New(lang)
	t := c.T
	day := func(t time.Time) string { return t.In(loc).Format("02/01/2006 15:04:05") }
	var m map[string]any
	_ = json.Unmarshal(e.Data, &m)
	str := func(k string) string {
		v, _ := m[k].(string)
		return v
	}
	num := func(k string) int {
		v, _ := m[k].(float64)
		return int(v)
	}
	switch e.Action {
	case "register.init":
		return t("summary.register_init", "Site", str("site"))
	case "user.add":
		return t("summary.user_add", "Name", str("user"), "Role", procedure.TitleIn(lang, "role", str("role")))
	case "user.disable":
		return t("summary.user_disable", "Name", str("user"))
	case "user.unlock":
		return t("summary.user_unlock", "Name", str("user"))
	case "auth.login":
		return t("summary.auth_login")
	case "auth.fail":
		if u := str("user"); u != "" {
			return t("summary.auth_fail", "Name", u, "Reason", str("reason"))
		}
		return t("summary.auth_fail_unknown")
	case "auth.lock":
		return t("summary.auth_lock", "Name", str("user"), "Fails", num("fails"))
	case "settings.change":
		return t("summary.settings_change", "Key", str("key"))
	case "records.change":
		return t("summary.records_change", "Key", str("key"))
	case "case.new":
		var d caseNewData
		_ = e.Decode(&d)
		return t("summary.case_new", "Reason", procedure.TitleIn(lang, "reason", d.Reason), "Cameras", strings.Join(d.Cameras, ", "),
			"From", day(d.Range.Start), "To", day(d.Range.End))
	case "case.confirm":
		var d confirmData
		_ = e.Decode(&d)
		if d.Changed {
			return t("summary.case_confirm_changed", "How", d.How, "Cameras", strings.Join(d.Cameras, ", "), "From", day(d.Range.Start), "To", day(d.Range.End))
		}
		return t("summary.case_confirm", "How", d.How)
	case "case.requisition":
		return t("summary.case_requisition", "Ref", str("requisition_ref"))
	case "task.notify":
		if str("task") == "authorize_after_emergency" {
			return t("summary.task_after_emergency")
		}
		return t("summary.task_requisition")
	case "case.ack":
		return t("summary.case_ack")
	case "case.authorize":
		if b, _ := m["after_emergency"].(bool); b {
			return t("summary.case_authorize_after")
		}
		return t("summary.case_authorize")
	case "case.refuse":
		return t("summary.case_refuse")
	case "case.extend":
		return t("summary.case_extend", "Months", num("months"))
	case "case.export.start":
		if b, _ := m["emergency"].(bool); b {
			return t("summary.export_start_emergency")
		}
		return t("summary.export_start")
	case "case.export":
		var d procedure.ExportRecord
		_ = e.Decode(&d)
		s := t("summary.export_files", "Files", len(d.Files))
		if d.Complete {
			s += t("summary.export_complete")
		} else {
			s += t("summary.export_gaps", "Gaps", len(d.Gaps))
		}
		if d.Anonymized {
			s += t("summary.export_anonymized")
		}
		return s
	case "case.export.fail":
		if b, _ := m["canceled"].(bool); b {
			return t("summary.export_canceled")
		}
		return t("summary.export_fail", "Error", str("error"))
	case "case.use_end":
		return t("summary.use_end")
	case "case.judicial_closed":
		return t("summary.judicial_closed")
	case "case.standin":
		return t("summary.case_standin", "Why", t("standin."+str("rs_unavailable")))
	case "delegate.designate":
		return t("summary.delegate_designate", "User", str("user"))
	case "delegate.revoke":
		return t("summary.delegate_revoke", "User", str("user"))
	case "case.settle":
		return t("summary.case_settle", "File", str("file"), "ID", num("suspect"))
	case "case.encrypt":
		return t("summary.encrypt", "Archive", str("archive"), "SHA", first(str("sha256"), 16))
	case "case.anonymize":
		var d anonymizeData
		_ = e.Decode(&d)
		if d.Document == nil {
			return t("summary.anonymize_file", "File", d.File)
		}
		return t("summary.anonymize", "File", d.File, "Detector", d.Document.Detector, "Tracks", d.Document.Tracks,
			"Regions", d.Document.ManualRegion, "Reviewer", d.Document.Reviewer)
	case "case.gaps":
		var d gapsData
		_ = e.Decode(&d)
		var parts []string
		for _, g := range d.Gaps {
			parts = append(parts, t("summary.gap", "Camera", g.Camera, "From", day(g.Range.Start), "To", g.Range.End.In(loc).Format("15:04:05")))
		}
		return t("summary.gaps", "Gaps", len(d.Gaps), "List", strings.Join(parts, " ; "))
	case "case.deliver":
		s := t("summary.deliver", "Support", procedure.TitleIn(lang, "support", str("support")), "Mode", strings.ToLower(procedure.TitleIn(lang, "mode", str("mode"))))
		if id := str("media_id"); id != "" {
			s += t("summary.deliver_media", "Medium", id)
		}
		if p := str("password_channel"); p != "" {
			s += t("summary.deliver_password", "Channel", strings.ToLower(procedure.TitleIn(lang, "channel", p)))
		}
		return s
	case "case.attach":
		what := "summary.attach_other"
		switch str("kind") {
		case procedure.KindRequisitionScan:
			what = "summary.attach_requisition"
		case procedure.KindReceiptScan:
			what = "summary.attach_receipt"
		case procedure.KindReviewPlan:
			what = "summary.attach_plan"
		}
		return t("summary.attach", "What", t(what), "Name", str("name"), "SHA", first(str("sha256"), 16))
	case "case.close":
		return t("summary.case_close")
	case "case.print":
		return t("summary.print", "Document", t("summary.doc."+str("document")))
	case "copy.track":
		var d retention.TrackData
		_ = e.Decode(&d)
		return t("summary.copy_track", "Copy", d.ID, "Kind", string(d.Kind), "Deadline", day(d.Deadline))
	case "copy.purge":
		return t("summary.copy_purge", "Copy", str("copy"), "Method", str("method"))
	case "media.add":
		return t("summary.media_add", "Medium", str("id"), "Type", str("type"))
	case "media.destroy":
		return t("summary.media_destroy", "Medium", str("id"), "Method", str("method"))
	case "incident":
		return t("summary.incident", "Detail", str("detail"))
	case "footage.view":
		if n := str("case"); n != "" {
			return t("summary.footage_view_case", "Camera", str("camera"), "Case", n)
		}
		return t("summary.footage_view", "Camera", str("camera"), "Reason", t("title.view."+str("reason")))
	case "incident.update":
		return t("summary.incident_update", "Seq", num("incident"), "Status", str("status"))
	case "register.export":
		return t("summary.register_export", "Format", strings.ToUpper(str("format")))
	case "personal.erase":
		var d register.EraseData
		_ = e.Decode(&d)
		return t("summary.personal_erase", "Entries", len(d.Entries), "Files", len(d.Attachments))
	case "workdir.sweep":
		var d retention.SweepData
		_ = e.Decode(&d)
		return t("summary.workdir_sweep", "Dirs", len(d.Erased))
	}
	return e.Action
}

func first(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
