package folder

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
)

// ParseMediaMTXName reads "2026-11-23_08-01-00-066666.mp4" in loc.
func ParseMediaMTXName(name string, loc *time.Location) (time.Time, error) {
	ext := path.Ext(name)
	if ext != ".mp4" && ext != ".ts" {
		return time.Time{}, fmt.Errorf("segment name %q: not .mp4 or .ts", name)
	}
	base := strings.TrimSuffix(name, ext)
	// YYYY-MM-DD_HH-MM-SS-ffffff (26 chars)
	if len(base) != 26 || base[10] != '_' || base[19] != '-' {
		return time.Time{}, fmt.Errorf("segment name %q: want YYYY-MM-DD_HH-MM-SS-ffffff%s", name, ext)
	}
	t, err := time.ParseInLocation("2006-01-02_15-04-05", base[:19], loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("segment name %q: %w", name, err)
	}
	us, err := strconv.Atoi(base[20:])
	if err != nil || us < 0 || strings.ContainsAny(base[20:], "+-") {
		return time.Time{}, fmt.Errorf("segment name %q: bad microseconds", name)
	}
	return t.Add(time.Duration(us) * time.Microsecond), nil
}

// ParseFrigatePath reads "2026-11-23/08/cam/05.30.mp4" (UTC) and returns
// the camera and the start time.
func ParseFrigatePath(rel string) (camera string, start time.Time, err error) {
	parts := strings.Split(path.Clean(strings.ReplaceAll(rel, "\\", "/")), "/")
	if len(parts) != 4 {
		return "", time.Time{}, fmt.Errorf("frigate path %q: want YYYY-MM-DD/HH/<camera>/MM.SS.mp4", rel)
	}
	day, hour, cam, file := parts[0], parts[1], parts[2], parts[3]
	if !strings.HasSuffix(file, ".mp4") || cam == "" || cam == "." || cam == ".." {
		return "", time.Time{}, fmt.Errorf("frigate path %q: want <camera>/MM.SS.mp4", rel)
	}
	ms := strings.TrimSuffix(file, ".mp4")
	if len(hour) != 2 || len(ms) != 5 || ms[2] != '.' {
		return "", time.Time{}, fmt.Errorf("frigate path %q: want HH and MM.SS", rel)
	}
	t, err := time.ParseInLocation("2006-01-02 15 04.05", day+" "+hour+" "+ms, time.UTC)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("frigate path %q: %w", rel, err)
	}
	return cam, t, nil
}
