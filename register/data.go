package register

import "mileo.tech/extract/vms"

// The data of the entries that [Store.Verify] reads beyond their signature
// (SPEC.md, "What verification proves"). The procedure writes them.

// KindRequisitionScan is the attachment kind of a judicial requisition
// (R-AUTH-2).
const KindRequisitionScan = "requisition_scan"

// EraseData is the data of its entry.
type EraseData struct {
	Entries     []int64  `json:"entries,omitempty"`
	Attachments []string `json:"attachments,omitempty"`
}

// AttachData is the data of its entry.
type AttachData struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	Kind   string `json:"kind"`
}

// ExportStartData is the data of its entry.
type ExportStartData struct {
	OutDir    string    `json:"out_dir"`
	Cameras   []string  `json:"cameras"`
	Range     vms.Range `json:"range"`
	Source    string    `json:"source"`
	Encrypt   bool      `json:"encrypt"`
	Anonymize bool      `json:"anonymize"`
	OnSite    bool      `json:"on_site,omitempty"`
	Emergency bool      `json:"emergency,omitempty"`
	Copy      string    `json:"copy"`
}
