// Package review is the window's anonymization review of an access
// request (R-ANON-1..4): it builds the case's clip of a camera with the
// export's own clip builder, runs face detection with a progress bar, and
// lets a reviewer finish the review (issue #19): the people as rows along
// the clip's timeline ([Timeline]: one row per person, the tracks the plan
// groups as one — her face and her head, the same head found twice —
// drawn on the same bar; the large thumbnail of her best-scored track;
// the playhead), the people probably not faces (all their tracks
// doubtful: [PersonDoubt]) in a group apart and still covered; « Garder
// cette personne » in one click for all her tracks ([PersonTracks]: each
// marked kept in the plan), « Masquer » to undo, « Pas un visage » for all
// of them too; a track's box edited on the picture or typed, recorded as a
// region following the track; manual regions with a time span; the
// rendering; and frame by frame stepping through either clip, with the
// player's keys (space, ←/→, J/K/L: J plays backwards).
//
// # Frames
//
// The [Viewer] decodes a frame by its number in decoding order, the way
// the plan counts frames, in its own goroutine, and shows the picture and
// the boxes of that very frame together on the window's goroutine: the
// frame shown is always the one whose boxes are drawn, whatever the clicks
// and keys in between ([Still], [FrameView]). The frame source and the
// frame view are the player's (package ui/player), which numbers the
// frames of a clip the same way.
//
// # Final check
//
// Once the case is exported, the [CheckPanel] lists what the final check
// of the anonymized output left to examine for the camera shown
// (R-ANON-2 rev.): the player opens on an item's frames with its box
// outlined, and the reviewer records that nothing is readable there
// (Cases.Settle) or covers it with a manual region, saved with the case,
// before exporting again. [ShowAt] opens the review on one item. The
// review of a clip saved with the case is taken up again when the same
// clip is built in a later session.
//
// # Plans
//
// A reviewed plan ([Reviewed]) stays with the window for the session and
// the rendered one is saved with the case, for the export of any front
// end. The clip, the plan (its thumbnails are faces) and the rendering are
// files of the case's encrypted working folder, a tracked copy (R-PRG-1).
//
// # Window
//
// [Show] shows the review of a case; what the screen needs of the window
// (the procedure, the session, the VMS source, jobs, texts) is its
// [Window].
//
// # Tests
//
// The exported fields of the screen are its widgets and what it holds
// (the plan under review), for the tests of package ui that drive the whole
// window.
package review
