// Package vmstest is the conformance suite that every [vms.Source] passes:
// the folder source, MediaMTX (a real server) and Frigate (a fixture).
//
// # Use
//
// A connector's test builds a source over footage whose layout it knows and
// calls [Run]:
//
//	func TestConformance(t *testing.T) {
//		src := ... // a vms.Source over known footage
//		vmstest.Run(t, vmstest.Fixture{
//			Source:    src,
//			Camera:    "cam1",
//			Want:      []vms.Span{{Start: t0, End: t1}, {Start: t2, End: t3}},
//			Tolerance: 200 * time.Millisecond,
//		})
//	}
//
// Want is the ground truth: the spans of footage of Camera, sorted, found
// independently of the source (the files written, the publisher's clock).
// It should hold at least two spans separated by a gap of a few seconds so
// that gaps are checked; with one span those checks are skipped.
//
// # What is checked
//
//   - Info: a kind, an address that starts with it and never holds
//     credentials ([Fixture.Secrets] appear nowhere);
//   - Cameras: Camera is listed, ids are unique and non-empty;
//   - Recordings: sorted, valid, non-overlapping spans inside the request;
//     once merged within Tolerance they match Want; the gaps between them
//     (vms.Gaps) match those of Want; a request that starts and ends inside
//     footage is clipped exactly to it; ranges before, after and between
//     the recordings give no span and no error; the same instants given in
//     another time zone give the same spans;
//   - errors: an unknown camera gives [vms.ErrUnknownCamera] (Recordings and
//     OpenClip), an empty or inverted range gives [vms.ErrBadRange], a clip
//     asked in a gap or outside the recordings gives [vms.ErrNoFootage];
//   - OpenClip: for the first and last span, a clip of ClipLength from the
//     middle is an MP4 that ffprobe opens and decodes to the last frame, with
//     a video stream; Clip.Start is at most Tolerance after the requested
//     start and at most ClipSlack+Tolerance before it; the clip reaches the
//     requested end (within Tolerance); the same clip asked in another time
//     zone has the same Start and the same video packets;
//   - cancellation: cancelling the context in the middle of reading a clip
//     makes the next reads fail with an error wrapping context.Canceled,
//     and once the clip is closed no goroutine started by the source is
//     left running (sources may offer CloseIdleConnections, which is
//     called first; HTTP keep-alive and server-side goroutines are ignored).
//
// The checks that need ffprobe are skipped when it is not installed.
package vmstest
