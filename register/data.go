package register

// The data of the entries that [Store.Verify] reads for the erasure of
// personal data and attachments (SPEC.md §4). The procedure writes them.

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
