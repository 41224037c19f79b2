// Package vms describes where recordings come from: a video management
// system (VMS), an NVR, or an archive on disk.
//
// # Sources
//
// A [Source] lists cameras, answers which spans of footage exist for a camera
// in a time range, and opens a clip that lies inside one span. It never deals
// with gaps: the export package intersects spans with the request, opens one
// clip per span and lists what is missing. Connectors live in sub-packages
// (folder, mediamtx, frigate) and are opened by address with package
// [mileo.tech/extract/vms/connect].
//
// # Conformance
//
// Every Source passes the suite in [mileo.tech/extract/vms/vmstest].
package vms
