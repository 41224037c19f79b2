// Package anonymize makes third parties unrecognisable in a clip handed to a
// data subject (R-ANON-1..4): it finds every face, follows it over time,
// lets a reviewer keep the requester and add or remove regions, then
// re-encodes the clip with the faces covered by a coarse mosaic.
//
// # Two steps
//
// [BuildPlan] decodes the clip and writes a redaction [Plan]: tracks
// of faces with a box for every frame they cover, each with a thumbnail
// for review. The reviewer marks tracks to keep (the requester) or as false
// positives and adds manual regions; the plan is plain versioned JSON.
// [Render] decodes the clip a second time and writes the anonymized MP4;
// the output is a pure function of the clip and the plan. [Anonymizer]
// does both in one decoding pass for exports ([export.Anonymizer]) and
// documents what it did ([export.Anonymization]).
//
// # Not missing a face
//
// A face visible in two frames is a breach, so detection is not trusted
// frame by frame:
//
//   - Small pictures (up to 640×480) are searched whole in every frame.
//     Larger ones are searched at full resolution every key interval
//     (0.48 s), only where the picture changed since each part was last
//     searched (slow changes add up until they count) and where it was
//     last searched 4 s ago, whole when that would cost nearly as much
//     ([cv.SearchCost]): every part is searched at least every 4 s, and
//     a whole-picture search after a camera cut counts for that (a cut
//     is searched whole at once, and again 4 frames later). Key
//     frame searches use a
//     threshold lowered by [KeyThresholdDrop], and keep boxes shorter
//     than [SmallFace] pixels from [SmallFaceThreshold] (small faces in
//     crowds score low). Parts larger than
//     [cv.MaxTileArea] are searched in overlapping tiles and once more
//     shrunk, which finds at least the faces a search of the whole part
//     finds, with the detector's memory bounded whatever the picture size.
//   - Between key frames, every tracked face is searched again in every
//     frame in a region around its predicted position, enlarged so that
//     small faces are seen at a size the detector likes.
//   - Following uses a lower threshold than finding (hysteresis,
//     [RegionThresholdDrop]): a face whose score hovers around the
//     threshold stays covered.
//   - A new face is searched backwards in the frames already decoded, so
//     its track starts where the face appeared and not where it was first
//     found.
//   - Tracks survive misses of up to [TrackerOptions.MaxMiss] frames
//     (boxes interpolated), are extended by [TrackerOptions.Pad] frames at
//     both ends with growing boxes, and a detection placed off its
//     neighbours is widened to their interpolation. Covers are the boxes
//     grown by [DefaultMargin] (80 %: the whole head, and room for jitter).
//
// One face makes one track: a face found twice in a frame (a region
// searched around a neighbour holds it too) stays its track's instead of
// starting a second track, and a new face followed backwards stops
// where another track holds it. Fragments of one person's track over time
// are joined (position, size, timing, colours), and tracks of one head at
// once (its face and its head, nested over most of the frames they share)
// are grouped into one person ([Track.Person]) without changing any box:
// the review shows one row per person and keeps or masks all her tracks.
//
// Tracks that are probably not faces (seen once or twice with low scores,
// still for long and never sure, or never with a person's head around
// them in the whole-picture searches that look for people) are marked
// [Track.Doubtful] with a [Track.DoubtReason]: still covered, shown apart
// in the review.
//
// The coverage test runs the detector again on the output of every test
// clip, in both modes, at a lower threshold than the one used.
//
// # The final check
//
// The plan's detector is not trusted to have found every face: package
// [mileo.tech/extract/anonymize/finalcheck] checks the rendered copy
// with its own models and thresholds and lists the frames where a face or
// a head may still be readable; the reviewer settles each before an
// export is called verified (R-ANON-2 rev.). It uses of this package the
// [Plan] and [FindModel] only.
//
// # One pass
//
// [Anonymizer] (and [PlanOptions.Anonymize]) decode the clip once: frames
// wait in a queue until no later detection can change their boxes, then
// are covered and encoded while later frames are searched. The result is
// the same as Render of the same plan. Detection gets half the cores
// (OpenCV's threads, one on a two-core machine); the encoder's threads,
// one more than the cores, run at a lower priority and take whatever CPU
// the detector leaves. Up to 16 MiB of covered frames wait for the
// encoder, and three more in its lookahead, which keeps it busy while a
// whole-picture search holds the detector. The copy is encoded at
// libx264's default quality, CRF 23 ([DefaultCRF]).
//
// Memory does not grow with the clip: the queue is a ring sized from
// [PlanOptions.LookBackBytes] (64 MiB, 21 frames of 1080p), the stages
// exchange frames through channels of two (16 MiB before the encoder),
// the detector never sees more
// than [cv.MaxTileArea] pixels at once, encoded pictures go back to the
// decoder to be filled again ([av.Reader.Recycle]) so the Go heap stays
// near the frames actually held, the decoder runs in one thread and
// libx264's lookahead thread buffers three frames. Only the plan grows: a few
// bytes per tracked face and frame.
//
// # Irreversible
//
// Faces are replaced by a mosaic of at most [MosaicBlocks] blocks across
// the covered box, then smoothed: the picture inside holds no more than a
// few dozen averages, which no deblurring can turn back into a face. [ModeSolid]
// paints the box black. Audio is dropped (the encoder writes none).
//
// # Models
//
// [FindModel] looks for the YuNet model (--model, $MILEO_MODELS, the user
// data folder, ./models). Without one, [LoadDetector] falls back to Haar
// cascades and says so in [DetectorInfo.Fallback]: they find about half the
// faces and the reviewer must check every frame. The object detector of
// the animal check ([FaceDetector.DetectPeople], for single pictures) is
// looked for in the same folders; without it animals' faces count as
// faces.
package anonymize
