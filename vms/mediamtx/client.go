package mediamtx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Errors of this connector, wrapped with %w.
var (
	// ErrBadResponse is a malformed, oversized or unexpected answer.
	ErrBadResponse = errors.New("mediamtx: malformed answer")
	// ErrTruncated is a clip whose body ended before its MP4 structure did.
	ErrTruncated = errors.New("mediamtx: clip truncated")
	// ErrTimeout is a server that did not answer, or stopped sending, in time.
	ErrTimeout = errors.New("mediamtx: server too slow")
	// ErrUnauthorized is a 401 or 403 answer: wrong or missing credentials.
	ErrUnauthorized = errors.New("mediamtx: not authorized")
)

// StatusError is a non-2xx answer. It unwraps to [ErrUnauthorized] for 401
// and 403.
type StatusError struct {
	Op      string // e.g. "GET /list"
	Code    int
	Message string // the server's error message, shortened
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("mediamtx: %s: HTTP %d %s", e.Op, e.Code, http.StatusText(e.Code))
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// Unwrap maps authentication failures to ErrUnauthorized.
func (e *StatusError) Unwrap() error {
	if e.Code == http.StatusUnauthorized || e.Code == http.StatusForbidden {
		return ErrUnauthorized
	}
	return nil
}

// Auth holds the credentials of one server: basic auth, or a bearer token.
type Auth struct {
	User, Password string
	Token          string
}

func (a Auth) apply(req *http.Request) {
	switch {
	case a.Token != "":
		req.Header.Set("Authorization", "Bearer "+a.Token)
	case a.User != "" || a.Password != "":
		req.SetBasicAuth(a.User, a.Password)
	}
}

// endpoint is one server: its base URL (never with credentials) and auth.
type endpoint struct {
	base *url.URL
	auth Auth
}

func (e endpoint) url(path string, q url.Values) string {
	u := *e.base
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawQuery = q.Encode()
	return u.String()
}

// client performs the HTTP requests of a Source with timeouts, retries and
// size limits.
type client struct {
	hc            *http.Client
	timeout       time.Duration
	headerTimeout time.Duration
	idleTimeout   time.Duration
	retries       int
	maxJSON       int64
}

// retryable reports whether a status is worth another attempt.
func retryable(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

func backoff(ctx context.Context, attempt int) error {
	d := time.Duration(250*(1<<attempt)) * time.Millisecond
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// getJSON GETs a small answer: 2xx bodies are returned; other statuses give
// a *StatusError with the server's message. Network errors, timeouts, cut
// bodies and 429/502/503/504 are retried.
func (c *client) getJSON(ctx context.Context, ep endpoint, path string, q url.Values) ([]byte, error) {
	op := "GET " + path
	var last error
	for attempt := 0; attempt < c.retries; attempt++ {
		if attempt > 0 {
			if err := backoff(ctx, attempt-1); err != nil {
				return nil, fmt.Errorf("mediamtx: %s: %w", op, err)
			}
		}
		body, code, err := c.getOnce(ctx, ep, path, q)
		if ctx.Err() != nil {
			return nil, fmt.Errorf("mediamtx: %s: %w", op, ctx.Err())
		}
		switch {
		case err != nil:
			last = err
			if errors.Is(err, ErrBadResponse) {
				return nil, err
			}
			continue
		case code >= 200 && code < 300:
			return body, nil
		default:
			last = &StatusError{Op: op, Code: code, Message: parseAPIError(body)}
			if !retryable(code) {
				return nil, last
			}
		}
	}
	return nil, last
}

func (c *client) getOnce(ctx context.Context, ep endpoint, path string, q url.Values) ([]byte, int, error) {
	op := "GET " + path
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, ep.url(path, q), nil)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %s: %v", ErrBadResponse, op, err)
	}
	ep.auth.apply(req)
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, 0, c.netError(ctx, actx, op, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxJSON+1))
	if err != nil {
		return nil, 0, c.netError(ctx, actx, op, err)
	}
	if int64(len(body)) > c.maxJSON {
		return nil, 0, fmt.Errorf("%w: %s: answer larger than %d bytes", ErrBadResponse, op, c.maxJSON)
	}
	return body, resp.StatusCode, nil
}

// netError describes a transport error without the URL (which holds the
// server address but never credentials: those travel in headers).
func (c *client) netError(parent, attempt context.Context, op string, err error) error {
	if parent.Err() != nil {
		return fmt.Errorf("mediamtx: %s: %w", op, parent.Err())
	}
	if attempt.Err() != nil {
		return fmt.Errorf("%w: %s: no answer within %s", ErrTimeout, op, c.timeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("mediamtx: %s: %w", op, err)
}

// stream starts a GET whose body is handed to the caller. It is retried
// only until the answer's headers arrive: once bytes flow, an error is the
// caller's. Non-2xx answers give a *StatusError.
func (c *client) stream(ctx context.Context, ep endpoint, path string, q url.Values, name string) (io.ReadCloser, error) {
	op := "GET " + path
	var last error
	for attempt := 0; attempt < c.retries; attempt++ {
		if attempt > 0 {
			if err := backoff(ctx, attempt-1); err != nil {
				return nil, fmt.Errorf("mediamtx: %s: %w", op, err)
			}
		}
		body, err := c.streamOnce(ctx, ep, path, q, name)
		if err == nil {
			return body, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("mediamtx: %s: %w", op, ctx.Err())
		}
		last = err
		var se *StatusError
		if errors.As(err, &se) && !retryable(se.Code) {
			return nil, err
		}
		if errors.Is(err, ErrBadResponse) {
			return nil, err
		}
	}
	return nil, last
}

func (c *client) streamOnce(ctx context.Context, ep endpoint, path string, q url.Values, name string) (io.ReadCloser, error) {
	op := "GET " + path
	rctx, cancel := context.WithCancel(ctx)
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, ep.url(path, q), nil)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("%w: %s: %v", ErrBadResponse, op, err)
	}
	ep.auth.apply(req)
	var headerLate sync.Once
	late := false
	t := time.AfterFunc(c.headerTimeout, func() { headerLate.Do(func() { late = true; cancel() }) })
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
			return nil, fmt.Errorf("mediamtx: %s: %w", op, ctx.Err())
		}
		if late {
			return nil, fmt.Errorf("%w: %s: no answer within %s", ErrTimeout, op, c.headerTimeout)
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("mediamtx: %s: %w", op, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		cancel()
		return nil, &StatusError{Op: op, Code: resp.StatusCode, Message: parseAPIError(body)}
	}
	cb := &clipBody{ctx: ctx, cancel: cancel, body: resp.Body, chk: newBoxChecker(resp.Body), name: name, idle: c.idleTimeout}
	cb.timer = time.AfterFunc(c.idleTimeout, cb.expire)
	return cb, nil
}

// clipBody is a clip being downloaded: it checks the MP4 structure, turns
// a cancelled context into an error wrapping context.Canceled, and gives up
// when the server stays silent for the idle timeout.
type clipBody struct {
	ctx    context.Context
	cancel context.CancelFunc
	body   io.ReadCloser
	chk    *boxChecker
	name   string
	idle   time.Duration
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
		return 0, fmt.Errorf("mediamtx: clip %s: %w", b.name, err)
	}
	n, err := b.chk.Read(p)
	if n > 0 {
		b.timer.Reset(b.idle)
	}
	if err == nil || err == io.EOF {
		return n, err
	}
	if b.ctx.Err() != nil {
		return n, fmt.Errorf("mediamtx: clip %s: %w", b.name, b.ctx.Err())
	}
	b.mu.Lock()
	expired := b.expired
	b.mu.Unlock()
	switch {
	case expired:
		return n, fmt.Errorf("%w: clip %s: no data for %s", ErrTimeout, b.name, b.idle)
	case errors.Is(err, ErrTruncated) || errors.Is(err, ErrBadResponse):
		return n, fmt.Errorf("clip %s: %w", b.name, err)
	}
	return n, fmt.Errorf("%w: clip %s after %d bytes: %v", ErrTruncated, b.name, b.chk.total, err)
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
