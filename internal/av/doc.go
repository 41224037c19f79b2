// Package av is the only package that imports go-astiav (FFmpeg). It exposes
// our own types: [Frame] with an *image.YCbCr picture, [Info], io.EOF at the
// end of a stream, Close methods.
//
// # Reading and writing
//
// [Open] decodes the first video stream of a file to 4:2:0 frames with
// decoder threads chosen by FFmpeg; [Create] encodes frames to H.264
// (libx264) in an MP4 with the index at the front (+faststart).
//
// Every reader also takes an [Input] whose bytes are not a plain file (an
// io.ReaderAt: an encrypted working file), and every writer an [Output]
// that is an io.WriteSeeker, so that working copies never reach the disk
// in clear.
//
// # Remuxing
//
// [Remux] copies the video packets of one or more inputs (segments of a
// recording) into one MP4 without decoding them: the output's video stream
// is bit-exact. It starts at the keyframe at or before the requested start.
//
// # Verifying
//
// [Verify] decodes every frame of a file and counts frames and duration.
package av
