package mediamtx

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"

	"mileo.tech/extract/vms"
	"mileo.tech/extract/vms/internal/fetch"
)

// maxSpanSeconds bounds a /list duration: a span longer than ten years is a
// hostile or broken answer, and larger values overflow time.Duration.
const maxSpanSeconds = 10 * 366 * 24 * 3600

// listEntry is one element of the playback server's /list answer.
type listEntry struct {
	Start    *string  `json:"start"`
	Duration *float64 `json:"duration"`
	URL      string   `json:"url"`
}

// parseList decodes a /list answer into spans, sorted. Entries with a zero
// duration (a segment starting exactly at the requested end) are dropped;
// negative, absurd or unparsable ones are errors.
func parseList(data []byte) ([]vms.Span, error) {
	var entries []listEntry
	if err := fetch.DecodeJSON(data, &entries); err != nil {
		return nil, fmt.Errorf("mediamtx: %w: /list: %v", ErrBadResponse, err)
	}
	spans := make([]vms.Span, 0, len(entries))
	for i, e := range entries {
		if e.Start == nil || e.Duration == nil {
			return nil, fmt.Errorf("mediamtx: %w: /list entry %d: missing start or duration", ErrBadResponse, i)
		}
		start, err := time.Parse(time.RFC3339Nano, *e.Start)
		if err != nil {
			return nil, fmt.Errorf("mediamtx: %w: /list entry %d: start: %v", ErrBadResponse, i, err)
		}
		d := *e.Duration
		if math.IsNaN(d) || d < 0 || d > maxSpanSeconds {
			return nil, fmt.Errorf("mediamtx: %w: /list entry %d: duration %v", ErrBadResponse, i, d)
		}
		if d == 0 {
			continue
		}
		end := start.Add(time.Duration(d * float64(time.Second)))
		if !end.After(start) {
			continue
		}
		spans = append(spans, vms.Span{Start: start.UTC(), End: end.UTC()})
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].Start.Before(spans[j].Start) })
	return spans, nil
}

// separate makes sorted spans non-overlapping without merging them: a span
// that starts before the previous one ends is cut to start at that end (and
// dropped when nothing is left). MediaMTX cannot play across two entries of
// /list in one /get call, so they stay two spans even when they touch.
func separate(spans []vms.Span) []vms.Span {
	var out []vms.Span
	for _, s := range spans {
		if n := len(out); n > 0 && s.Start.Before(out[n-1].End) {
			s.Start = out[n-1].End
		}
		if s.Valid() {
			out = append(out, s)
		}
	}
	return out
}

// pathList is the control API's /v3/paths/list answer.
type pathList struct {
	PageCount int       `json:"pageCount"`
	Items     []apiPath `json:"items"`
}

type apiPath struct {
	Name    string     `json:"name"`
	Online  *bool      `json:"online"` // v1.14+
	Ready   bool       `json:"ready"`  // older servers
	Tracks2 []apiTrack `json:"tracks2"`
	Tracks  []string   `json:"tracks"`
}

type apiTrack struct {
	Codec      string          `json:"codec"`
	CodecProps json.RawMessage `json:"codecProps"`
}

type codecProps struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// parsePaths decodes one page of /v3/paths/list.
func parsePaths(data []byte) ([]vms.Camera, int, error) {
	var pl pathList
	if err := fetch.DecodeJSON(data, &pl); err != nil {
		return nil, 0, fmt.Errorf("mediamtx: %w: /v3/paths/list: %v", ErrBadResponse, err)
	}
	if pl.PageCount < 0 {
		return nil, 0, fmt.Errorf("mediamtx: %w: /v3/paths/list: pageCount %d", ErrBadResponse, pl.PageCount)
	}
	cams := make([]vms.Camera, 0, len(pl.Items))
	for i, p := range pl.Items {
		if err := checkName(p.Name); err != nil {
			return nil, 0, fmt.Errorf("mediamtx: %w: /v3/paths/list item %d: %v", ErrBadResponse, i, err)
		}
		c := vms.Camera{ID: p.Name, Name: p.Name, Online: p.Ready}
		if p.Online != nil {
			c.Online = *p.Online
		}
		for _, t := range p.Tracks2 {
			codec, video := codecName(t.Codec)
			if !video {
				continue
			}
			c.Codec = codec
			var cp codecProps
			if len(t.CodecProps) > 0 && json.Unmarshal(t.CodecProps, &cp) == nil &&
				cp.Width > 0 && cp.Height > 0 && cp.Width <= 1<<16 && cp.Height <= 1<<16 {
				c.Width, c.Height = cp.Width, cp.Height
			}
			break
		}
		if c.Codec == "" {
			for _, t := range p.Tracks {
				if codec, video := codecName(t); video {
					c.Codec = codec
					break
				}
			}
		}
		cams = append(cams, c)
	}
	return cams, pl.PageCount, nil
}

// recordingList is the control API's /v3/recordings/list answer; only the
// names matter here.
type recordingList struct {
	PageCount int `json:"pageCount"`
	Items     []struct {
		Name string `json:"name"`
	} `json:"items"`
}

// parseRecordingNames decodes one page of /v3/recordings/list.
func parseRecordingNames(data []byte) ([]string, int, error) {
	var rl recordingList
	if err := fetch.DecodeJSON(data, &rl); err != nil {
		return nil, 0, fmt.Errorf("mediamtx: %w: /v3/recordings/list: %v", ErrBadResponse, err)
	}
	if rl.PageCount < 0 {
		return nil, 0, fmt.Errorf("mediamtx: %w: /v3/recordings/list: pageCount %d", ErrBadResponse, rl.PageCount)
	}
	names := make([]string, 0, len(rl.Items))
	for i, it := range rl.Items {
		if err := checkName(it.Name); err != nil {
			return nil, 0, fmt.Errorf("mediamtx: %w: /v3/recordings/list item %d: %v", ErrBadResponse, i, err)
		}
		names = append(names, it.Name)
	}
	return names, rl.PageCount, nil
}

// parseAPIError extracts the message of MediaMTX's {"status":"error",
// "error":"..."} answers; anything else gives a short, printable excerpt.
func parseAPIError(data []byte) string {
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(data, &e) == nil && e.Error != "" {
		return fetch.Printable(e.Error, 200)
	}
	return fetch.Printable(string(data), 200)
}

// codecName maps MediaMTX's codec labels to FFmpeg codec names and tells
// whether the track is video.
func codecName(label string) (string, bool) {
	switch label {
	case "H264":
		return "h264", true
	case "H265":
		return "hevc", true
	case "AV1":
		return "av1", true
	case "VP9":
		return "vp9", true
	case "VP8":
		return "vp8", true
	case "MPEG-4 Video":
		return "mpeg4", true
	case "MPEG-1/2 Video":
		return "mpeg2video", true
	case "M-JPEG":
		return "mjpeg", true
	}
	return "", false
}

// checkName accepts MediaMTX path names (alphanumerics, _ . - / ~ and a few
// more that the server allows) of sane length.
func checkName(name string) error {
	if name == "" || len(name) > 512 {
		return fmt.Errorf("path name of length %d", len(name))
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("control character in path name")
		}
	}
	return nil
}
