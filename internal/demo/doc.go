// Package demo writes a realistic demo VMS archive in the MediaMTX folder
// layout (<camera>/YYYY-MM-DD_HH-MM-SS-ffffff.mp4, fMP4 segments of 60 s,
// H.264): three cameras, one at 1920×1080, a deliberate 30 s gap in one of
// them, and the wall-clock time burned into every picture.
//
// # Footage
//
// When the team's test clips are present (../shared/media/video) the cameras
// show them, looped and scaled: real people and faces, which the
// anonymization needs. Otherwise the footage is a synthetic pattern with
// moving shapes. The product never needs those clips.
package demo
