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
func (c *Client) Clip(ctx context.Context, ep Endpoint, path string, q url.Values, name string) (io.ReadCloser, error) {
	op := "GET " + path
	var body io.ReadCloser
	err := c.retry(ctx, ep, op, func() (int, error) {
		b, code, err := c.clipOnce(ctx, ep, path, q, name)
		if err == nil {
			body = b
		}
		return code, err
	})
	if err != nil {
		if body != nil {
			body.Close()
		}
		return nil, err
	}
	return body, nil
}

// clipOnce makes one attempt of a clip download: it returns the body and
// the status, or the status (0 for none) and an error.
func (c *Client) clipOnce(ctx context.Context, ep Endpoint, path string, q url.Values, name string) (io.ReadCloser, int, error) {
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
	cb := &clipBody{c: c, ctx: ctx, cancel: cancel, body: resp.Body, chk: mp4check.NewReader(resp.Body), name: name}
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

func (b *clipBody) Read(p []byte) (int, error) {
	if err := b.ctx.Err(); err != nil {
		return 0, b.c.errorf("clip %s: %w", b.name, err)
	}
	n, err := b.chk.Read(p)
	if n > 0 {
		b.timer.Reset(b.c.o.IdleTimeout)
	}
	if err == nil || err == io.EOF {
		return n, err
	}
	if b.ctx.Err() != nil {
		return n, b.c.errorf("clip %s: %w", b.name, b.ctx.Err())
	}
	b.mu.Lock()
	expired := b.expired
	b.mu.Unlock()
	switch {
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
	return err
}
