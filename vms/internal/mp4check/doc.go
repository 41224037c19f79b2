// Package mp4check checks, as it passes through, that a stream is made of
// complete MP4 or fragmented MP4 boxes.
//
// A clip downloaded from a video management system can be cut short by the
// server or the network and still end cleanly (a chunked body that simply
// stops). [Reader] follows the top-level box structure so that such a cut
// is reported instead of being handed over as a shorter clip.
//
// # What is checked
//
//   - the first box is ftyp, styp or moov, and every box type is a
//     four-character code of letters, digits and spaces;
//   - every box is at least as large as its header and at most 1 TiB;
//   - at EOF the stream ends on a box boundary (or inside a last box of
//     size 0, which runs to the end), and it had a movie header (moov, or
//     moof for fragments) and media data (mdat).
//
// Nothing inside a box is read: the check costs a few bytes of state.
//
// # Errors
//
// A stream that ends early gives [ErrTruncated]; one that is not MP4 at
// all (an HTML login page, a JSON error) gives [ErrMalformed]. Errors of
// the underlying reader pass through unchanged.
package mp4check
