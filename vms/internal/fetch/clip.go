package fetch

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"mileo.tech/extract/vms/internal/mp4check"
)

// Clip starts a GET whose body, an MP4 clip called name in errors, is
// handed to the caller. It is retried only until the answer's headers
// arrive: once bytes flow, an error is the caller's. Non-2xx answers give a
// *StatusError. The body checks the MP4 structure as it is read (see
// [mp4check]), turns a cancelled context into an error wrapping it, and
// gives up with [ErrTimeout] when the server stays silent for the idle
// timeout; a body cut otherwise gives [ErrTruncated].
//
// Clip bounds neither the clip's size nor its download time: use
// [Client.ClipOf] when the clip's duration is known.
func (c *Client) Clip(ctx context.Context, ep Endpoint, path string, q url.Values, name string) (io.ReadCloser, error) {
	return c.clip(ctx, ep, path, q, name, clipLimits{})
}

// ClipOf is [Client.Clip] for a clip of duration d, bounded (R-EXP-3):
//   - its body is cut at MaxBitrate/8 × d + ClipSlack bytes, and the
//     read that reaches the bound returns [ErrTooLarge] (the bytes before
//     it were handed over);
//   - the whole download must end within ClipDeadline + d ([ErrDeadline]);
//   - at least StallBytes must arrive in every IdleTimeout ([ErrStalled]).
func (c *Client) ClipOf(ctx context.Context, ep Endpoint, path string, q url.Values, name string, d time.Duration) (io.ReadCloser, error) {
	if d < 0 {
		d = 0
	}
	return c.clip(ctx, ep, path, q, name, clipLimits{
		max:      c.o.MaxBitrate/8*int64(d/time.Second) + c.o.MaxBitrate/8*int64(d%time.Second)/int64(time.Second) + c.o.ClipSlack,
		deadline: c.o.ClipDeadline + d,
		stall:    c.o.StallBytes,
	})
}

// MaxClipBytes is the bound [Client.ClipOf] puts on a clip of duration d.
func (c *Client) MaxClipBytes(d time.Duration) int64 {
	return c.o.MaxBitrate/8*int64(d/time.Second) + c.o.MaxBitrate/8*int64(d%time.Second)/int64(time.Second) + c.o.ClipSlack
}

// clipLimits bound one clip; zero values bound nothing.
type clipLimits struct {
	max      int64         // bytes
	deadline time.Duration // whole download, from the request
	stall    int64         // bytes per IdleTimeout
}

func (c *Client) clip(ctx context.Context, ep Endpoint, path string, q url.Values, name string, lim clipLimits) (io.ReadCloser, error) {
	op := "GET " + path
	var body io.ReadCloser
	parent := ctx
	if lim.deadline > 0 {
		// The deadline covers the whole download, retries included.
		dctx, cancel := context.WithTimeoutCause(ctx, lim.deadline, ErrDeadline)
		ctx = dctx
		defer func() {
			if body == nil {
				cancel()
			} else {
				body.(*clipBody).deadlineCancel, body.(*clipBody).parent = cancel, parent
			}
		}()
	}
	err := c.retry(ctx, ep, op, func() (int, error) {
		b, code, err := c.clipOnce(ctx, ep, path, q, name, lim)
		if err == nil {
			body = b
		}
		return code, err
	})
	if err != nil {
		if body != nil {
			body.Close()
			body = nil
		}
		if parent.Err() == nil && errors.Is(context.Cause(ctx), ErrDeadline) {
			return nil, c.errorf("%w: %w: %s: no clip within %s", ErrTimeout, ErrDeadline, op, lim.deadline)
		}
		return nil, err
	}
	return body, nil
}

// clipOnce makes one attempt of a clip download: it returns the body and
// the status, or the status (0 for none) and an error.
func (c *Client) clipOnce(ctx context.Context, ep Endpoint, path string, q url.Values, name string, lim clipLimits) (io.ReadCloser, int, error) {
	op := "GET " + path
	rctx, cancel := context.WithCancel(ctx)
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, ep.URL(path, q), nil)
	if err != nil {
		cancel()
		return nil, 0, c.errorf("%w: %s: %v", ErrBadResponse, op, err)
	}
	ep.authorize(req)
	var headerLate sync.Once
	late := false
	t := time.AfterFunc(c.o.HeaderTimeout, func() { headerLate.Do(func() { late = true; cancel() }) })
	resp, err := c.hc.Do(req)
	stopped := t.Stop()
	if !stopped {
		headerLate.Do(func() {}) // wait for the timer's function to finish
	}
	if err == nil && late {
		resp.Body.Close()
		err = context.DeadlineExceeded
	}
	if err != nil {
		cancel()
		if ctx.Err() != nil {
			return nil, 0, c.errorf("%s: %w", op, ctx.Err())
		}
		if late {
			return nil, 0, c.errorf("%w: %s: no answer within %s", ErrTimeout, op, c.o.HeaderTimeout)
		}
		return nil, 0, c.errorf("%s: %w", op, StripURL(err))
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		cancel()
		return nil, resp.StatusCode, c.StatusError(op, resp.StatusCode, body)
	}
	cb := &clipBody{c: c, ctx: ctx, cancel: cancel, body: resp.Body, chk: mp4check.NewReader(resp.Body), name: name, lim: lim}
	cb.timer = time.AfterFunc(c.o.IdleTimeout, cb.expire)
	return cb, resp.StatusCode, nil
}

// clipBody is a clip being downloaded: it checks the MP4 structure, turns
// a cancelled context into an error wrapping context.Canceled, and gives up
// when the server stays silent for the idle timeout.
type clipBody struct {
	c      *Client
	ctx    context.Context
	cancel context.CancelFunc
	body   io.ReadCloser
	chk    *mp4check.Reader
	name   string
	timer  *time.Timer
	lim    clipLimits
	total  int64 // bytes handed over
	window int64 // bytes since the idle timer was last reset

	// With a deadline: the caller's context, and the cancel function of
	// the deadline's context (released by Close).
	parent         context.Context
	deadlineCancel context.CancelFunc

	mu      sync.Mutex
	expired bool
	closed  bool
}

func (b *clipBody) expire() {
	b.mu.Lock()
	b.expired = true
	b.mu.Unlock()
	b.cancel()
}

// ctxErr describes the end of the clip's context: the caller's
// cancellation, or the clip's deadline.
func (b *clipBody) ctxErr() error {
	if b.parent != nil && b.parent.Err() == nil && errors.Is(context.Cause(b.ctx), ErrDeadline) {
		return b.c.errorf("%w: %w: clip %s: not downloaded within %s", ErrTimeout, ErrDeadline, b.name, b.lim.deadline)
	}
	return b.c.errorf("clip %s: %w", b.name, b.ctx.Err())
}

func (b *clipBody) Read(p []byte) (int, error) {
	if err := b.ctx.Err(); err != nil {
		return 0, b.ctxErr()
	}
	if b.lim.max > 0 {
		if b.total >= b.lim.max {
			return 0, b.c.errorf("%w: clip %s: cut at %d bytes", ErrTooLarge, b.name, b.lim.max)
		}
		if left := b.lim.max - b.total; int64(len(p)) > left {
			p = p[:left]
		}
	}
	n, err := b.chk.Read(p)
	b.total += int64(n)
	if n > 0 {
		// A trickle does not keep a clip alive: the idle timer restarts
		// only once StallBytes have arrived since it last did.
		b.window += int64(n)
		if b.window >= b.lim.stall {
			b.window = 0
			b.timer.Reset(b.c.o.IdleTimeout)
		}
	}
	if err == nil || err == io.EOF {
		return n, err
	}
	if b.ctx.Err() != nil {
		b.mu.Lock()
		expired := b.expired
		b.mu.Unlock()
		if !expired {
			return n, b.ctxErr()
		}
	}
	b.mu.Lock()
	expired := b.expired
	b.mu.Unlock()
	switch {
	case expired && b.lim.stall > 0:
		return n, b.c.errorf("%w: %w: clip %s: less than %d bytes in %s", ErrTimeout, ErrStalled, b.name, b.lim.stall, b.c.o.IdleTimeout)
	case expired:
		return n, b.c.errorf("%w: clip %s: no data for %s", ErrTimeout, b.name, b.c.o.IdleTimeout)
	case errors.Is(err, mp4check.ErrTruncated):
		return n, b.c.errorf("clip %s: %w", b.name, err)
	case errors.Is(err, mp4check.ErrMalformed):
		return n, b.c.errorf("clip %s: %w: %w", b.name, ErrBadResponse, err)
	}
	return n, b.c.errorf("clip %s: %w after %d bytes: %v", b.name, ErrTruncated, b.chk.Total(), err)
}

func (b *clipBody) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	b.mu.Unlock()
	b.timer.Stop()
	err := b.body.Close()
	b.cancel()
	if b.deadlineCancel != nil {
		b.deadlineCancel()
	}
	return err
}
