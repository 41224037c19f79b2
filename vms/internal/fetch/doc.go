// Package fetch performs the HTTP requests of the VMS connectors: small
// JSON answers, a login POST and clip downloads, with timeouts, retries
// where they are safe, size limits and typed errors.
//
// # Requests
//
//   - [Client.GetJSON] reads a small answer (at most [Options.MaxJSON]
//     bytes) within [Options.Timeout] per attempt;
//   - [Client.Post] sends a small body the same way and hands back the
//     answer whatever its status, so that the caller can read it (a login);
//   - [Client.Clip] streams a clip: [Options.HeaderTimeout] for its first
//     byte, then at most [Options.IdleTimeout] of silence; its body is
//     checked by [mp4check] as it is read.
//   - [Client.ClipOf] streams a clip of known duration d with bounds: at
//     most [Options.MaxBitrate]/8 × d + [Options.ClipSlack] bytes
//     ([ErrTooLarge], the clip is cut there), at most
//     [Options.ClipDeadline] + d in all ([ErrDeadline]), and at least
//     [Options.StallBytes] in every [Options.IdleTimeout] ([ErrStalled]).
//
// # Redirects
//
// Credentials (Authorization, Cookie) are removed from a redirect to
// another scheme, host or port than the request's: Go's client would keep
// them for another port of the same host.
//
// # Retries
//
// A request is tried up to [Options.Retries] times, with a backoff of
// 250 ms, 500 ms, 1 s…, on network errors, timeouts, cut answers and the
// statuses 429, 502, 503 and 504. A clip is retried only until its answer's
// headers arrive: once bytes flow, an error is the caller's. When the
// endpoint's [Auth] is a [Session], it logs in before the first request and
// once more after a 401 answer.
//
// # Errors
//
// Errors start with [Options.Name] (e.g. "mediamtx: GET /list: …") and
// wrap the sentinels [ErrBadResponse], [ErrTruncated], [ErrTimeout] and
// [ErrUnauthorized], or the context's error when it is cancelled. A non-2xx
// answer is a [*StatusError]. URLs are never part of an error: they hold the
// server's address, and credentials travel in headers only.
package fetch
