package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"mileo.tech/extract/vms"
	"mileo.tech/extract/vms/internal/mp4check"
)

// Errors of a request, wrapped with %w.
var (
	// ErrBadResponse is a malformed, oversized or unexpected answer.
	ErrBadResponse = errors.New("malformed answer")
	// ErrTruncated is a clip whose body ended before its MP4 structure did
	// (the same value as [mp4check.ErrTruncated]).
	ErrTruncated = mp4check.ErrTruncated
	// ErrTimeout is a server that did not answer, or stopped sending, in time.
	ErrTimeout = errors.New("server too slow")
	// ErrUnauthorized is a 401 or 403 answer: wrong or missing credentials.
	ErrUnauthorized = errors.New("not authorized")
	// ErrTooLarge is a clip larger than its bound (see [Client.ClipOf]):
	// it is cut there.
	ErrTooLarge = vms.ErrTooLarge
	// ErrStalled is a clip whose bytes trickle in slower than
	// [Options.StallBytes] per [Options.IdleTimeout]; it also wraps
	// ErrTimeout.
	ErrStalled = vms.ErrStalled
	// ErrDeadline is a clip not downloaded within its overall deadline;
	// it also wraps ErrTimeout.
	ErrDeadline = vms.ErrDeadline
)

// StatusError is a non-2xx answer. It unwraps to [ErrUnauthorized] for 401
// and 403.
type StatusError struct {
	Name    string // the connector that starts the message, e.g. "mediamtx"
	Op      string // e.g. "GET /list"
	Code    int
	Message string // the server's error message, shortened
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("%s: HTTP %d %s", e.Op, e.Code, http.StatusText(e.Code))
	if e.Name != "" {
		msg = e.Name + ": " + msg
	}
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

// Defaults of [Options].
const (
	DefaultTimeout       = 30 * time.Second
	DefaultHeaderTimeout = 2 * time.Minute
	DefaultIdleTimeout   = 60 * time.Second
	DefaultRetries       = 3
	DefaultMaxJSON       = 64 << 20
	// DefaultMaxBitrate bounds a clip: 50 Mbit/s of its duration, far
	// above any CCTV stream (a 4K H.265 camera sends 8 to 16 Mbit/s).
	DefaultMaxBitrate = 50_000_000
	// DefaultClipSlack is added to that bound (headers, a short clip).
	DefaultClipSlack = 16 << 20
	// DefaultStallBytes must arrive within each IdleTimeout.
	DefaultStallBytes = 64 << 10
	// DefaultClipDeadline is the overall deadline of a clip, plus its
	// duration (a clip is never slower to download than to watch).
	DefaultClipDeadline = 10 * time.Minute
)

// Options configure a [Client]. Zero or negative values take the defaults.
type Options struct {
	// Name starts every error message, e.g. "mediamtx".
	Name string

	Timeout       time.Duration // one small request attempt
	HeaderTimeout time.Duration // wait for a clip's first byte
	IdleTimeout   time.Duration // longest silence inside a clip
	Retries       int           // attempts of a safe request
	MaxJSON       int64         // bound of a small answer
	// MaxBitrate (bit/s) and ClipSlack (bytes) bound a clip of duration d
	// to MaxBitrate/8 × d + ClipSlack bytes (see [Client.ClipOf]).
	MaxBitrate int64
	ClipSlack  int64
	// StallBytes is the least a clip must send in every IdleTimeout: a
	// server trickling a byte now and then is stalled.
	StallBytes int64
	// ClipDeadline plus the clip's duration is the overall deadline of a
	// clip download.
	ClipDeadline time.Duration
	// HTTPClient is used when set (its Timeout must be zero: clips
	// stream); otherwise a client on a clone of the default transport.
	// Either way, credentials are dropped from a redirect to another
	// scheme, host or port.
	HTTPClient *http.Client
	// ErrorMessage extracts the server's message from the body of an error
	// answer, for [StatusError.Message] (default: a printable excerpt).
	ErrorMessage func(body []byte) string
}

// Client performs requests with timeouts, retries and size limits. It is
// safe for concurrent use.
type Client struct {
	o      Options
	hc     *http.Client
	prefix string // Name and ": ", as a format string
}

// New returns a client; it does not contact any server.
func New(o Options) *Client {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.HeaderTimeout <= 0 {
		o.HeaderTimeout = DefaultHeaderTimeout
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.Retries <= 0 {
		o.Retries = DefaultRetries
	}
	if o.MaxJSON <= 0 {
		o.MaxJSON = DefaultMaxJSON
	}
	if o.MaxBitrate <= 0 {
		o.MaxBitrate = DefaultMaxBitrate
	}
	if o.ClipSlack <= 0 {
		o.ClipSlack = DefaultClipSlack
	}
	if o.StallBytes <= 0 {
		o.StallBytes = DefaultStallBytes
	}
	if o.ClipDeadline <= 0 {
		o.ClipDeadline = DefaultClipDeadline
	}
	if o.ErrorMessage == nil {
		o.ErrorMessage = func(b []byte) string { return Printable(string(b), 200) }
	}
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	if o.HTTPClient != nil {
		cp := *o.HTTPClient
		hc = &cp
	}
	hc.CheckRedirect = sameOriginCredentials(hc.CheckRedirect)
	c := &Client{o: o, hc: hc}
	if o.Name != "" {
		c.prefix = strings.ReplaceAll(o.Name, "%", "%%") + ": "
	}
	return c
}

// CloseIdleConnections closes idle keep-alive connections.
func (c *Client) CloseIdleConnections() { c.hc.CloseIdleConnections() }

// errorf formats an error that starts with the client's name.
func (c *Client) errorf(format string, args ...any) error {
	return fmt.Errorf(c.prefix+format, args...)
}

// StatusError describes a non-2xx answer to op with body.
func (c *Client) StatusError(op string, code int, body []byte) *StatusError {
	return &StatusError{Name: c.o.Name, Op: op, Code: code, Message: c.o.ErrorMessage(body)}
}

// Auth puts credentials on a request.
type Auth interface {
	Authorize(req *http.Request)
}

// Session is an [Auth] that logs in: the client calls Login before a
// request when NeedLogin is true, and once after a 401 answer when
// CanLogin is true.
type Session interface {
	Auth
	NeedLogin() bool
	CanLogin() bool
	Login(ctx context.Context) error
}

// Credentials are fixed credentials: a bearer token, or basic auth.
type Credentials struct {
	User, Password string
	Token          string
}

// Authorize sets the Authorization header: the token when set, else basic
// auth when a user or password is set.
func (a Credentials) Authorize(req *http.Request) {
	switch {
	case a.Token != "":
		req.Header.Set("Authorization", "Bearer "+a.Token)
	case a.User != "" || a.Password != "":
		req.SetBasicAuth(a.User, a.Password)
	}
}

// CredentialsOf reads the user-info part of an address: the user "bearer"
// (any case) means the password is a bearer token.
func CredentialsOf(ui *url.Userinfo) Credentials {
	if ui == nil {
		return Credentials{}
	}
	p, _ := ui.Password()
	if strings.EqualFold(ui.Username(), "bearer") {
		return Credentials{Token: p}
	}
	return Credentials{User: ui.Username(), Password: p}
}

// Endpoint is one server: its base URL (never with credentials) and its
// credentials (nil for none).
type Endpoint struct {
	Base *url.URL
	Auth Auth
}

// URL returns the address of path (appended to the base's path) with q.
func (e Endpoint) URL(path string, q url.Values) string {
	u := *e.Base
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawQuery = q.Encode()
	return u.String()
}

func (e Endpoint) authorize(req *http.Request) {
	if e.Auth != nil {
		e.Auth.Authorize(req)
	}
}

// ParseBase parses a server's base URL: http or https with a host. The
// user-info, query and fragment are dropped.
func ParseBase(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, StripURL(err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("want http[s]://HOST:PORT")
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u, nil
}

// StripURL drops the URL (which may hold credentials) from a parse or
// transport error.
func StripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// sameOriginCredentials returns a redirect policy that removes the
// credentials (Authorization, Cookie, Proxy-Authorization) from a redirect
// to another scheme, host or port than the first request's, then applies
// next (Go's default policy when nil). Go itself keeps them for another
// port of the same host, or from https to http.
func sameOriginCredentials(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > 0 && !sameOrigin(req.URL, via[0].URL) {
			for _, h := range []string{"Authorization", "Cookie", "Proxy-Authorization", "Www-Authenticate"} {
				req.Header.Del(h)
			}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}

// sameOrigin compares scheme, host and port (the default port of the
// scheme when none is given).
func sameOrigin(a, b *url.URL) bool {
	port := func(u *url.URL) string {
		if p := u.Port(); p != "" {
			return p
		}
		switch strings.ToLower(u.Scheme) {
		case "https":
			return "443"
		case "http":
			return "80"
		}
		return ""
	}
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
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

// retry runs try up to Retries times. try returns the status of the
// answer it got (0 for none) and an error for anything but success: a
// network error, a timeout or a cut answer is tried again, and so is a
// retryable status; ErrBadResponse and other statuses end the loop. A
// Session logs in first when it needs to, and once more after a 401.
func (c *Client) retry(ctx context.Context, ep Endpoint, op string, try func() (int, error)) error {
	sess, _ := ep.Auth.(Session)
	if sess != nil && sess.NeedLogin() {
		if err := sess.Login(ctx); err != nil {
			return err
		}
	}
	var last error
	relogged := false
	for attempt := 0; attempt < c.o.Retries; attempt++ {
		if attempt > 0 {
			if err := backoff(ctx, attempt-1); err != nil {
				return c.errorf("%s: %w", op, err)
			}
		}
		code, err := try()
		if ctx.Err() != nil {
			return c.errorf("%s: %w", op, ctx.Err())
		}
		if code == http.StatusUnauthorized && !relogged && sess != nil && sess.CanLogin() {
			relogged = true
			if err := sess.Login(ctx); err != nil {
				return err
			}
			attempt--
			continue
		}
		if err == nil {
			return nil
		}
		last = err
		if errors.Is(err, ErrBadResponse) || code != 0 && !retryable(code) {
			return err
		}
	}
	return last
}

// Answer is the answer to a small request.
type Answer struct {
	Code   int
	Header http.Header
	Body   []byte
}

// Cookies returns the cookies the answer sets.
func (a *Answer) Cookies() []*http.Cookie {
	return (&http.Response{Header: a.Header}).Cookies()
}

// GetJSON GETs a small answer: 2xx bodies are returned; other statuses give
// a *StatusError with the server's message.
func (c *Client) GetJSON(ctx context.Context, ep Endpoint, path string, q url.Values) ([]byte, error) {
	op := "GET " + path
	hdr := http.Header{"Accept": {"application/json"}}
	var body []byte
	err := c.retry(ctx, ep, op, func() (int, error) {
		a, err := c.once(ctx, ep, http.MethodGet, path, q, nil, hdr)
		if err != nil {
			return 0, err
		}
		if a.Code < 200 || a.Code > 299 {
			return a.Code, c.StatusError(op, a.Code, a.Body)
		}
		body = a.Body
		return a.Code, nil
	})
	if err != nil {
		return nil, err
	}
	return body, nil
}

// Post sends body to path and returns the answer, whatever its status
// unless a retryable one persists (then a *StatusError).
func (c *Client) Post(ctx context.Context, ep Endpoint, path, contentType string, body []byte) (*Answer, error) {
	op := "POST " + path
	hdr := http.Header{"Content-Type": {contentType}}
	var ans *Answer
	err := c.retry(ctx, ep, op, func() (int, error) {
		a, err := c.once(ctx, ep, http.MethodPost, path, nil, body, hdr)
		if err != nil {
			return 0, err
		}
		if retryable(a.Code) {
			return a.Code, c.StatusError(op, a.Code, a.Body)
		}
		ans = a
		return a.Code, nil
	})
	if err != nil {
		return nil, err
	}
	return ans, nil
}

// once makes one attempt of a small request.
func (c *Client) once(ctx context.Context, ep Endpoint, method, path string, q url.Values, body []byte, hdr http.Header) (*Answer, error) {
	op := method + " " + path
	actx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(actx, method, ep.URL(path, q), rd)
	if err != nil {
		return nil, c.errorf("%w: %s: %v", ErrBadResponse, op, err)
	}
	ep.authorize(req)
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, c.netError(ctx, actx, op, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.o.MaxJSON+1))
	if err != nil {
		return nil, c.netError(ctx, actx, op, err)
	}
	if int64(len(data)) > c.o.MaxJSON {
		return nil, c.errorf("%w: %s: answer larger than %d bytes", ErrBadResponse, op, c.o.MaxJSON)
	}
	return &Answer{Code: resp.StatusCode, Header: resp.Header, Body: data}, nil
}

// netError describes a transport error without the URL (which holds the
// server address but never credentials: those travel in headers).
func (c *Client) netError(parent, attempt context.Context, op string, err error) error {
	if parent.Err() != nil {
		return c.errorf("%s: %w", op, parent.Err())
	}
	if attempt.Err() != nil {
		return c.errorf("%w: %s: no answer within %s", ErrTimeout, op, c.o.Timeout)
	}
	return c.errorf("%s: %w", op, StripURL(err))
}
