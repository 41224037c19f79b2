// Package folder is a [vms.Source] reading a recordings tree on disk.
//
// # Layouts
//
// MediaMTX (default recordPath): <root>/<path>/YYYY-MM-DD_HH-MM-SS-ffffff.mp4
// (fMP4 or MPEG-TS segments); the camera id is the path. Times in file names
// are in the source's time zone (tz=, default the machine's).
//
// Frigate: <root>/[recordings/]YYYY-MM-DD/HH/<camera>/MM.SS.mp4, always UTC.
//
// An optional cameras.json at the root maps camera ids to display names.
//
// # Address
//
//	folder:/srv/recordings?layout=auto|mediamtx|frigate&tz=Europe/Paris
//
// Each segment's start comes from its name and its duration from the
// container. Overlapping segments are refused with an error naming both.
package folder
