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
// # Damaged recordings (R-EXP-3, rev.)
//
// What a damaged recording yields:
//   - frames lost inside a segment (a damaged moof or mdat: the packets'
//     timestamps jump by more than [av.HoleFrames] frame intervals) are a
//     [Gap] with [CauseFramesLost], its start and end, the segment's name
//     and the estimated number of frames;
//   - a segment that cannot be read, entirely or from some point on (a
//     scrambled moov, a cut file, an mdat that claims more bytes than the
//     file holds), is named in Result.Errors with the byte range lost, and
//     the footage it should have held is a Gap with [CauseDamaged];
//   - a camera that cannot be exported at all is a [CameraError] (it wraps
//     [ErrDamaged]) and a Gap with [CauseCameraFailed] over the whole
//     range; the other cameras are exported, verified and listed in the
//     manifest all the same;
//   - a clip a network source cut (over its size bound, stalled, too
//     slow) delivers what arrived; the cut is named in the errors and the
//     rest is a gap.
//
// With any gap or error the result is « complete with gaps »
// ([StatusWithGaps], [Result.WithGaps]), never « complete ».
//
// # Verification
//
// Before success every output file is decoded from the first to the last
// frame and its frames and duration are counted (R-EXP-3); a manifest
// (manifest.json + manifest.txt) gives origin, ranges in UTC and local time,
// sizes, codecs and SHA-256 (R-EXP-4). With encryption the files and the
// manifest go into an AES-256 ZIP under a generated password (R-ENC-1/2).
//
// # Nothing partial under a final name
//
// In the output folder every file (videos, native files, manifest,
// archive) is written under its name plus ".part", synced, and renamed
// only once verified; a failure removes it. A killed export thus leaves
// only .part files, which [Sweep] (called by [Run] on its output folder)
// removes. A full disk (ENOSPC, EDQUOT, or EFBIG over a file size limit)
// is a [*DiskFullError] wrapping [ErrDiskFull], with the free space and an
// estimate of what was needed; the cameras delivered before keep their
// manifest.
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
