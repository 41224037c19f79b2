package frigate

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"

	"mileo.tech/extract/vms"
	"mileo.tech/extract/vms/internal/fetch"
)

// segment is one recording file of Frigate (normally 10 s), with the times
// Frigate stored for it, in epoch seconds.
type segment struct {
	start, end float64
}

func (s segment) span() vms.Span { return vms.Span{Start: epoch(s.start), End: epoch(s.end)} }

// epoch converts Frigate's float epoch seconds to a time.
func epoch(sec float64) time.Time {
	return time.Unix(0, int64(math.Round(sec*1e9))).UTC()
}

// Bounds of sane answers: timestamps between 1970 and 2500, a segment of at
// most one day.
const (
	maxEpoch      = 16725225600 // 2500-01-01
	maxSegmentSec = 24 * 3600
)

// recording is one element of /api/{camera}/recordings.
type recording struct {
	ID        string   `json:"id"`
	StartTime *float64 `json:"start_time"`
	EndTime   *float64 `json:"end_time"`
}

// parseRecordings decodes /api/{camera}/recordings into segments sorted by
// start. Zero-length segments are dropped; negative, absurd or missing
// times are errors. Overlaps are kept (merging is the caller's).
func parseRecordings(data []byte) ([]segment, error) {
	var recs []recording
	if err := fetch.DecodeJSON(data, &recs); err != nil {
		return nil, fmt.Errorf("frigate: %w: recordings: %v", ErrBadResponse, err)
	}
	segs := make([]segment, 0, len(recs))
	for i, r := range recs {
		if r.StartTime == nil || r.EndTime == nil {
			return nil, fmt.Errorf("frigate: %w: recording %d: missing start_time or end_time", ErrBadResponse, i)
		}
		s, e := *r.StartTime, *r.EndTime
		switch {
		case s <= 0 || s > maxEpoch || e <= 0 || e > maxEpoch:
			return nil, fmt.Errorf("frigate: %w: recording %d: time out of range (%v, %v)", ErrBadResponse, i, s, e)
		case e < s:
			return nil, fmt.Errorf("frigate: %w: recording %d: ends before it starts (%v, %v)", ErrBadResponse, i, s, e)
		case e-s > maxSegmentSec:
			return nil, fmt.Errorf("frigate: %w: recording %d: lasts %v s", ErrBadResponse, i, e-s)
		case e == s:
			continue
		}
		segs = append(segs, segment{start: s, end: e})
	}
	sort.SliceStable(segs, func(i, j int) bool { return segs[i].start < segs[j].start })
	return segs, nil
}

// cameraConfig is the part of a camera's configuration we read. The rest
// (notably the ffmpeg inputs, which hold the cameras' own passwords) is
// never decoded.
type cameraConfig struct {
	Name         string  `json:"name"`
	FriendlyName *string `json:"friendly_name"`
	Enabled      *bool   `json:"enabled"`
}

// parseConfig decodes /api/config into cameras sorted by id. Online is set
// from the camera's enabled flag; the caller refines it with /api/stats.
func parseConfig(data []byte) ([]vms.Camera, error) {
	var cfg struct {
		Cameras map[string]json.RawMessage `json:"cameras"`
	}
	if err := fetch.DecodeJSON(data, &cfg); err != nil {
		return nil, fmt.Errorf("frigate: %w: config: %v", ErrBadResponse, err)
	}
	cams := make([]vms.Camera, 0, len(cfg.Cameras))
	for id, raw := range cfg.Cameras {
		if err := checkName(id); err != nil {
			return nil, fmt.Errorf("frigate: %w: config: camera %q: %v", ErrBadResponse, fetch.Printable(id, 40), err)
		}
		var cc cameraConfig
		if err := json.Unmarshal(raw, &cc); err != nil {
			return nil, fmt.Errorf("frigate: %w: config: camera %q: %v", ErrBadResponse, id, err)
		}
		c := vms.Camera{ID: id, Name: id, Online: cc.Enabled == nil || *cc.Enabled}
		if cc.FriendlyName != nil {
			if n := fetch.Printable(*cc.FriendlyName, 100); n != "" {
				c.Name = n
			}
		}
		cams = append(cams, c)
	}
	sort.Slice(cams, func(i, j int) bool { return cams[i].ID < cams[j].ID })
	return cams, nil
}

// parseStats decodes the cameras of /api/stats: a camera is online when it
// delivers frames (camera_fps > 0).
func parseStats(data []byte) (map[string]bool, error) {
	var st struct {
		Cameras map[string]struct {
			CameraFPS *float64 `json:"camera_fps"`
		} `json:"cameras"`
	}
	if err := fetch.DecodeJSON(data, &st); err != nil {
		return nil, fmt.Errorf("frigate: %w: stats: %v", ErrBadResponse, err)
	}
	out := make(map[string]bool, len(st.Cameras))
	for id, c := range st.Cameras {
		out[id] = c.CameraFPS != nil && *c.CameraFPS > 0
	}
	return out, nil
}

// parseAPIError extracts the message of Frigate's {"success":false,
// "message":"..."} or FastAPI's {"detail":"..."} answers; anything else
// gives a short, printable excerpt.
func parseAPIError(data []byte) string {
	var e struct {
		Message string          `json:"message"`
		Detail  json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(data, &e) == nil {
		if e.Message != "" {
			return fetch.Printable(e.Message, 200)
		}
		var d string
		if json.Unmarshal(e.Detail, &d) == nil && d != "" {
			return fetch.Printable(d, 200)
		}
		if len(e.Detail) > 0 {
			return fetch.Printable(string(e.Detail), 200)
		}
	}
	return fetch.Printable(string(data), 200)
}

// checkName accepts Frigate camera names: letters, digits, _ and -.
func checkName(name string) error {
	if name == "" || len(name) > 256 {
		return fmt.Errorf("camera name of length %d", len(name))
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return fmt.Errorf("invalid character %q in camera name", r)
		}
	}
	return nil
}
