// Package frigate reads recordings from a Frigate NVR (0.14 and later)
// through its HTTP API.
//
// # Address
//
//	frigate:http://HOST:5000[?name=Site]
//	frigate:https://USER:PASSWORD@HOST:8971[?fingerprint=SHA256HEX][&name=Site]
//	frigate:https://bearer:TOKEN@HOST:8971
//
// Port 5000 is Frigate's internal, unauthenticated port; 8971 needs a
// login: POST /api/login with the user and password, whose session cookie
// (frigate_token) is then sent with every request, and renewed once when an
// answer is 401. Frigate's certificate is self-signed: fingerprint= pins it
// (SHA-256 of the certificate, hex, colons allowed). Other parameters:
// timeout= (one JSON request, default 30s), tolerance= (see below).
// Credentials never appear in [Source.Info], errors or logs, and the camera
// passwords that /api/config holds are never decoded.
//
// # API use
//
//   - cameras: GET /api/config (camera names, friendly_name, enabled) and
//     GET /api/stats (online when camera_fps > 0);
//   - spans: GET /api/{camera}/recordings?after=&before= (always both, epoch
//     seconds: Frigate's defaults are computed once at its start-up), whose
//     10-second segments are merged when less than [Config.Tolerance]
//     (default 1.5 s) apart: Frigate dates segments to the second;
//   - clips: GET /api/{camera}/start/{start}/end/{end}/clip.mp4.
//
// # Clips
//
// Frigate builds clip.mp4 with ffmpeg's concat demuxer over its segments,
// with whole-second in and out points and stream copy. An in point makes
// the clip start at the keyframe before it and ffmpeg then shifts that
// keyframe to time zero, so where the clip starts would be unknown by up to
// a group of pictures. The connector therefore asks for whole segments: the
// start is set a millisecond after the start of the segment that holds the
// requested start (and after the end of the segment before it), the end a
// millisecond after the end of the segment that holds the requested end.
// The clip then starts exactly with that segment, [vms.Clip.Start] is the
// start time Frigate stored for it (up to one segment before the requested
// start) and Exact is false. The coded pictures are the recorded ones, bit
// for bit; the concat demuxer repeats the H.264 parameter sets (SPS, PPS)
// before each keyframe. Small gaps inside a span (below the tolerance) are
// closed up by the concatenation.
//
// # Errors and retries
//
// JSON requests are retried on network errors,
// timeouts and 429/502/503/504; a clip only until its first byte. A body
// cut inside an MP4 box gives [ErrTruncated] (a stream cut exactly between
// two fragments cannot be told from a short clip). Frigate answers an empty
// list for a camera it does not have, so [vms.ErrUnknownCamera] comes from
// /api/config.
package frigate
