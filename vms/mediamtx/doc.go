// Package mediamtx reads recordings from a MediaMTX server (v1.x, checked
// against v1.20.1) through its control API and its playback server.
//
// # Address
//
//	mediamtx:http://HOST:9996?api=http://HOST:9997[&name=Site][&timeout=30s]
//	mediamtx:http://USER:PASSWORD@HOST:9996?api=http://HOST:9997
//	mediamtx:https://bearer:TOKEN@HOST:9996?api=https://HOST:9997
//
// The URL is the playback server; api= is the control API (default: same
// host, port 9997). Credentials go in the user-info part of the playback URL
// and are sent to both servers (basic auth, or a bearer token when the user
// is "bearer"); the api= URL may not hold any, since only the address's own
// user-info is hidden by connect.Redact ([Config] takes distinct ones).
// They never appear in [Source.Info], in errors or in logs.
//
// # API use
//
//   - cameras: GET /v3/paths/list (name, online, first video track's codec
//     and size), plus the names of GET /v3/recordings/list, so a camera that
//     is offline now but has footage is still listed;
//   - spans: GET /list?path=P&start=RFC3339&end=RFC3339 on the playback
//     server: [{"start":RFC3339,"duration":seconds,"url":...}];
//   - clips: GET /get?path=P&start=RFC3339&duration=SECONDS&format=mp4, one
//     call per span, because /get stops at the first discontinuity and
//     answers 404 when the start falls in a gap.
//
// A clip is a progressive MP4 whose edit list puts presentation time zero at
// the requested start: the frames of the group of pictures before it are
// included (negative timestamps, marked to discard), so [vms.Clip.Start] is
// exactly the requested start and the clip is exact. The requested duration
// is padded by [Config.EndPadding]: MediaMTX dates later segments by the
// server's clock but plays them by media time, and the two drift apart by a
// few frames per segment; /get never crosses a gap, so the padding only
// brings the last frames of the span.
//
// Adjacent spans are never merged: two spans that touch are two streams
// (a camera that reconnected) and need two /get calls.
//
// # Errors and retries
//
// JSON requests are retried (3 attempts) on network errors, timeouts and
// 429/502/503/504 answers; a clip download is retried only before its
// first byte. A clip whose body ends early is reported with [ErrTruncated];
// a server that stops sending for [Config.IdleTimeout] is abandoned.
// Unknown cameras give [vms.ErrUnknownCamera] (MediaMTX answers 400 for an
// unconfigured path, or 400/404 when a catch-all path matches, so the
// camera list decides).
package mediamtx
