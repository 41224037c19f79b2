// Package export takes a time range of one or more cameras out of a
// [vms.Source] and hands it over as verified files.
//
// # Pipeline
//
// For each camera: list the spans of footage, intersect them with the
// request, open one clip per span, and write one MP4 (H.264) per camera. The video stream is copied bit-exact (remux) unless something
// requires re-encoding (a codec MP4 cannot carry, or anonymization). Every
// gap between requested and available footage is listed (R-EXP-3).
//
// # Verification
//
// Before success every output file is decoded from the first to the last
// frame and its frames and duration are counted (R-EXP-3); a manifest
// (manifest.json + manifest.txt) gives origin, ranges in UTC and local time,
// sizes, codecs and SHA-256 (R-EXP-4). With encryption the files and the
// manifest go into an AES-256 ZIP under a generated password (R-ENC-1/2).
//
// # Working copies
//
// Nothing but the deliverable is ever written in clear. The remux that
// precedes a re-encode or an anonymization, and every file of an encrypted
// export until it is packed, are working copies encrypted under a key held
// only in memory (internal/workdir), crypto-erased when the job ends and
// swept after a crash. FFmpeg's +faststart pass reopens its output by name,
// which an encrypted working copy does not have: those MP4s keep their
// index at the end, as every seekable player expects anyway.
package export
