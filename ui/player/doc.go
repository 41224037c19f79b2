// Package player is the window's video player: a widget that decodes
// recorded footage in a goroutine and shows it with play and pause, one
// frame back and forward, 1×, 2× and 4× forward and backward, and the
// time of day over the picture; the [Timeline] of a camera's recorded
// spans and gaps with the in and out marks; and the [Footage] it plays.
//
// # Frames
//
// [FrameView] shows a [Still] with boxes over it, lets the user draw a
// rectangle and move or resize one from its corners; the anonymization
// review (package ui/review) uses it too. [FrameSource] decodes a clip's
// frame by its number in decoding order, as the anonymizer counts them:
// the player reads a clip ([NewFileFootage]) through it, so a frame's
// [Frame] Index is exact whatever the gaps in the timestamps.
//
// # Keys
//
// Space plays forward or pauses, ← and → step one frame, L plays forward
// and J backwards (pressed again: twice as fast, up to 4×), K pauses.
// Backwards, a camera's footage is decoded a second at a time and shown
// last frame first; a clip goes back frame by frame through its source.
//
// # Footage
//
// [NewVMSFootage] plays a camera of a VMS source, [NewFileFootage] a clip
// of an encrypted working folder (a review clip or its anonymized
// rendering). The player prepares a window of a camera's footage at a
// time, remuxed into the window's preview working folder and removed as
// soon as it is open: nothing is decoded from a clear copy on disk.
//
// # Threads
//
// Decoding runs in one goroutine per loaded footage; [Player.Stop] ends it
// and waits. Frames reach the widgets inside fyne.Do, the latest only when
// the window is slower than the decoder. What the player needs of the
// window (texts, times, errors, the working folder) is its [Window].
package player
