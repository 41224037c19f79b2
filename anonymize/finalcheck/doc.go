// Package finalcheck is the independent final check of an anonymized copy
// (R-ANON-2 rev.): [Check] decodes the copy [anonymize.Render] or
// [anonymize.Anonymizer] wrote for a plan and lists the spans of frames
// ([Suspect]) where a face or a head may still be readable outside the
// kept tracks. The reviewer settles each suspect (adds a region, or marks
// it checked); the export is called verified only then (R-ANON-4: the
// report names the models and thresholds, [CheckReport.Checker]).
//
// # What it checks
//
//   - Faces ([ReasonFace]): YuNet at half the plan's threshold
//     ([CheckFaceThreshold]), over the whole picture (1080p shrunk to 960
//     px wide) and again enlarged in the heads of the people the COCO
//     person detector finds, so that small faces are seen at a size the
//     model likes. A weak face must be found again in a second look at its
//     surroundings; faces inside a cover or a kept track (the requester)
//     do not count.
//   - Heads ([ReasonHead]): people ([CheckPersonThreshold]) whose head has
//     no cover and no face found: profiles, turned heads, backs.
//   - Covers not rendered ([ReasonNotRendered]): a box of the plan whose
//     inside kept its texture in the output (a copy not rendered from this
//     plan).
//   - Holes ([ReasonGap]): frames without a box inside a covered track.
//
// One frame in [CheckOptions.Every] is analysed (by default one every
// [CheckSeconds], 0.16 s; every frame of pictures up to 640×480), and
// every frame around a face found and around the ends of the tracks, so a
// face's span is exact.
//
// # Why a package of its own
//
// A check run by the detector that built the plan would miss what it
// missed. This package takes from package anonymize the plan, its
// mismatch error and the model finder, nothing of detection, tracking or
// rendering (TestIndependence enforces it), and loads its own models
// ([LoadChecker]): without both, [ErrCheckModel], and no export is called
// verified.
//
// # What it costs
//
// A second decoding of the copy and, per analysed frame, a face search
// and, in sampled frames, the person detector, which costs most.
// BenchmarkCheck1080p, on 12 s of the demo's 1080p25 camera (300 frames,
// 192 analysed) on a shared two-core machine: 15.1 s to check against
// 3.8 s to render the plan (×3.9); per frame, the person detector 131 ms,
// the whole-picture face search 20 ms, a head enlarged 5 ms. Memory stays
// at a few decoded frames (peak 571 MB for the process, the render
// included); the check keeps no picture and writes none. It listed 13
// suspects there for the reviewer to settle.
package finalcheck
