package frigate

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"mileo.tech/extract/vms"
	"mileo.tech/extract/vms/internal/fetch"
)

// Config describes one Frigate server. Zero values take the defaults.
type Config struct {
	// URL is the server, e.g. http://host:5000 (no authentication) or
	// https://host:8971 (login), without credentials.
	URL string
	// User and Password log in with POST /api/login; Token is a session
	// token (JWT) used as is. Leave all empty on port 5000.
	User, Password, Token string
	// Fingerprint pins the server's TLS certificate: the SHA-256 of its DER
	// bytes in hex (colons allowed). Frigate's own certificate is
	// self-signed; without a fingerprint the usual verification applies.
	Fingerprint string
	// Name is the site or system name shown to people (default: the host).
	Name string
	// Tolerance merges segments separated by less than this into one span
	// (default 1.5 s: Frigate dates segments to the second).
	Tolerance time.Duration

	Timeout       time.Duration // one JSON request attempt (default 30 s)
	HeaderTimeout time.Duration // wait for a clip's first byte (default 5 min: Frigate remuxes first)
	IdleTimeout   time.Duration // longest silence inside a clip (default 60 s)
	Retries       int           // attempts of a safe request (default 3)
	MaxJSON       int64         // bound of a JSON answer (default 64 MiB)
	// HTTPClient is used when set (its Timeout must be zero: clips stream).
	HTTPClient *http.Client

	// Bounds of a clip of duration d (R-EXP-3): at most
	// MaxBitrate/8 × d + ClipSlack bytes (default 50 Mbit/s and 16 MiB),
	// downloaded within ClipDeadline + d (default 10 min), with at least
	// StallBytes (default 64 KiB) in every IdleTimeout.
	MaxBitrate   int64 // bit/s
	ClipSlack    int64 // bytes
	ClipDeadline time.Duration
	StallBytes   int64
}

// Defaults.
const (
	DefaultTolerance     = 1500 * time.Millisecond
	DefaultTimeout       = fetch.DefaultTimeout // 30 s
	DefaultHeaderTimeout = 5 * time.Minute
	DefaultIdleTimeout   = fetch.DefaultIdleTimeout // 60 s
	DefaultRetries       = fetch.DefaultRetries     // 3
	DefaultMaxJSON       = fetch.DefaultMaxJSON     // 64 MiB
)

// ParseAddress parses the part of a source address after "frigate:":
//
//	http[s]://[USER:PASSWORD@]HOST[:PORT][/PREFIX][?fingerprint=HEX][&name=NAME][&timeout=30s][&tolerance=1.5s]
//
// The user "bearer" means PASSWORD is a session token.
func ParseAddress(addr string) (Config, error) {
	var cfg Config
	u, err := url.Parse(addr)
	if err != nil {
		return cfg, fmt.Errorf("frigate address: %w", fetch.StripURL(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return cfg, fmt.Errorf("frigate address: want http://HOST:5000 or https://USER:PASSWORD@HOST:8971")
	}
	cr := fetch.CredentialsOf(u.User)
	cfg.User, cfg.Password, cfg.Token = cr.User, cr.Password, cr.Token
	q := u.Query()
	for k := range q {
		switch k {
		case "fingerprint", "name", "timeout", "tolerance":
		default:
			return cfg, fmt.Errorf("frigate address: unknown parameter %q (fingerprint, name, timeout, tolerance)", k)
		}
	}
	for _, p := range []struct {
		key string
		dst *time.Duration
	}{{"timeout", &cfg.Timeout}, {"tolerance", &cfg.Tolerance}} {
		if v := q.Get(p.key); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return cfg, fmt.Errorf("frigate address: %s %q: want a duration such as 30s", p.key, v)
			}
			*p.dst = d
		}
	}
	cfg.Fingerprint = q.Get("fingerprint")
	cfg.Name = q.Get("name")
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	cfg.URL = u.String()
	return cfg, nil
}

// Source is a Frigate server. It is safe for concurrent use.
type Source struct {
	cfg  Config
	ep   fetch.Endpoint
	c    *fetch.Client
	info vms.Info

	mu      sync.Mutex
	known   map[string]bool
	knownAt time.Time
}

var _ vms.Source = (*Source)(nil)

// Open parses addr (see [ParseAddress]) and returns the source. It does not
// contact the server.
func Open(addr string) (*Source, error) {
	cfg, err := ParseAddress(addr)
	if err != nil {
		return nil, err
	}
	return New(cfg)
}

// New returns the source described by cfg.
func New(cfg Config) (*Source, error) {
	base, err := fetch.ParseBase(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("frigate URL: %w", err)
	}
	if cfg.Tolerance <= 0 {
		cfg.Tolerance = DefaultTolerance
	}
	if cfg.HeaderTimeout <= 0 {
		cfg.HeaderTimeout = DefaultHeaderTimeout
	}
	hc := cfg.HTTPClient
	if hc == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		if cfg.Fingerprint != "" {
			want, err := hex.DecodeString(strings.ReplaceAll(cfg.Fingerprint, ":", ""))
			if err != nil || len(want) != sha256.Size {
				return nil, fmt.Errorf("frigate fingerprint: want the 64 hex digits of a SHA-256")
			}
			tr.TLSClientConfig = &tls.Config{
				// The certificate is checked against the pinned fingerprint
				// below instead of a certificate authority.
				InsecureSkipVerify: true,
				VerifyConnection: func(cs tls.ConnectionState) error {
					if len(cs.PeerCertificates) == 0 {
						return fmt.Errorf("frigate: no server certificate")
					}
					got := sha256.Sum256(cs.PeerCertificates[0].Raw)
					if subtle.ConstantTimeCompare(got[:], want) != 1 {
						return fmt.Errorf("frigate: server certificate %x does not match the pinned fingerprint", got)
					}
					return nil
				},
			}
		}
		hc = &http.Client{Transport: tr}
	}
	name := cfg.Name
	if name == "" {
		name = base.Hostname()
	}
	addr := "frigate:" + base.String()
	var params []string
	if cfg.Fingerprint != "" {
		params = append(params, "fingerprint="+url.QueryEscape(cfg.Fingerprint))
	}
	if cfg.Name != "" {
		params = append(params, "name="+url.QueryEscape(cfg.Name))
	}
	if len(params) > 0 {
		addr += "?" + strings.Join(params, "&")
	}
	c := fetch.New(fetch.Options{Name: "frigate", Timeout: cfg.Timeout, HeaderTimeout: cfg.HeaderTimeout,
		IdleTimeout: cfg.IdleTimeout, Retries: cfg.Retries, MaxJSON: cfg.MaxJSON,
		MaxBitrate: cfg.MaxBitrate, ClipSlack: cfg.ClipSlack, ClipDeadline: cfg.ClipDeadline, StallBytes: cfg.StallBytes,
		HTTPClient: hc, ErrorMessage: parseAPIError})
	sess := &session{c: c, base: base, user: cfg.User, password: cfg.Password, token: cfg.Token}
	s := &Source{
		cfg:  cfg,
		ep:   fetch.Endpoint{Base: base, Auth: sess},
		c:    c,
		info: vms.Info{Kind: "frigate", Address: addr, Name: name},
	}
	return s, nil
}

// Info describes the source; its address never holds credentials.
func (s *Source) Info() vms.Info { return s.info }

// CloseIdleConnections closes idle keep-alive connections to the server.
func (s *Source) CloseIdleConnections() { s.c.CloseIdleConnections() }

// Cameras lists the cameras of /api/config, sorted by id. A camera is online
// when /api/stats says it delivers frames (or, if stats cannot be read,
// when it is enabled).
func (s *Source) Cameras(ctx context.Context) ([]vms.Camera, error) {
	body, err := s.c.GetJSON(ctx, s.ep, "/api/config", nil)
	if err != nil {
		return nil, fmt.Errorf("list cameras: %w", err)
	}
	cams, err := parseConfig(body)
	if err != nil {
		return nil, fmt.Errorf("list cameras: %w", err)
	}
	if body, err := s.c.GetJSON(ctx, s.ep, "/api/stats", nil); err == nil {
		if online, err := parseStats(body); err == nil {
			for i := range cams {
				if on, ok := online[cams[i].ID]; ok {
					cams[i].Online = cams[i].Online && on
				}
			}
		}
	} else if ctx.Err() != nil {
		return nil, fmt.Errorf("list cameras: %w", err)
	}
	known := make(map[string]bool, len(cams))
	for _, c := range cams {
		known[c.ID] = true
	}
	s.mu.Lock()
	s.known, s.knownAt = known, time.Now()
	s.mu.Unlock()
	return cams, nil
}

// checkCamera returns ErrUnknownCamera unless camera is in /api/config (the
// list of the last 30 seconds, or asked again): Frigate answers an empty
// list, not an error, for a camera it does not have.
func (s *Source) checkCamera(ctx context.Context, camera string) error {
	if checkName(camera) != nil {
		return fmt.Errorf("frigate: %w: %q", vms.ErrUnknownCamera, camera)
	}
	s.mu.Lock()
	ok := s.known[camera] && time.Since(s.knownAt) < 30*time.Second
	s.mu.Unlock()
	if ok {
		return nil
	}
	if _, err := s.Cameras(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	ok = s.known[camera]
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("frigate: %w: %q", vms.ErrUnknownCamera, camera)
	}
	return nil
}

// segments returns camera's recording segments overlapping [after, before]
// (epoch seconds, widened to whole seconds), sorted by start.
func (s *Source) segments(ctx context.Context, camera string, after, before time.Time) ([]segment, error) {
	q := url.Values{
		"after":  {strconv.FormatInt(after.Unix(), 10)},
		"before": {strconv.FormatInt(before.Add(time.Second-1).Unix(), 10)},
	}
	body, err := s.c.GetJSON(ctx, s.ep, "/api/"+url.PathEscape(camera)+"/recordings", q)
	if err != nil {
		return nil, fmt.Errorf("recordings of %q: %w", camera, err)
	}
	segs, err := parseRecordings(body)
	if err != nil {
		return nil, fmt.Errorf("recordings of %q: %w", camera, err)
	}
	return segs, nil
}

// Recordings returns the spans of camera overlapping r: Frigate's segments
// merged within the tolerance, clipped to r.
func (s *Source) Recordings(ctx context.Context, camera string, r vms.Range) ([]vms.Span, error) {
	if err := r.Check(); err != nil {
		return nil, err
	}
	if err := s.checkCamera(ctx, camera); err != nil {
		return nil, err
	}
	segs, err := s.segments(ctx, camera, r.Start, r.End)
	if err != nil {
		return nil, err
	}
	spans := make([]vms.Span, len(segs))
	for i, sg := range segs {
		spans[i] = sg.span()
	}
	return vms.ClipTo(vms.Merge(spans, s.cfg.Tolerance), r), nil
}

// clipPlan is the clip.mp4 request for a range: whole segments first..last
// of one span.
type clipPlan struct {
	start, end float64   // the request's start_ts and end_ts
	zero       time.Time // wall-clock time of the clip's media time zero
}

// plan chooses start_ts and end_ts so that Frigate's playlist holds whole
// segments without any in or out point. Frigate cuts with ffmpeg's concat
// demuxer and stream copy: an inpoint (whole seconds) starts the clip at
// the keyframe before it and ffmpeg then shifts that keyframe to time zero,
// so the clip's start would be unknown by up to a group of pictures. With
// start_ts just after the first segment's start (and after the previous
// segment's end, so that segment is not pulled in), the inpoint is 0 and
// the clip starts exactly with the first segment.
func plan(segs []segment, r vms.Range, tol time.Duration) (clipPlan, error) {
	spans := make([]vms.Span, len(segs))
	for i, sg := range segs {
		spans[i] = sg.span()
	}
	var span vms.Span
	found := false
	for _, sp := range vms.Merge(spans, tol) {
		if !sp.Start.After(r.Start) && sp.End.After(r.Start) {
			span, found = sp, true
			break
		}
	}
	if !found {
		return clipPlan{}, vms.ErrNoFootage
	}
	end := r.End
	if end.After(span.End) {
		end = span.End
	}
	// first: the earliest segment still running at r.Start; last: the
	// latest one starting before the end.
	first, last := -1, -1
	for i, sg := range segs {
		ss := sg.span()
		if ss.Start.Before(span.Start) || ss.End.After(span.End) {
			continue // another span
		}
		if first < 0 && ss.End.After(r.Start) {
			first = i
		}
		if ss.Start.Before(end) {
			last = i
		}
	}
	if first < 0 || last < first {
		return clipPlan{}, vms.ErrNoFootage
	}
	base := segs[first].start
	for _, sg := range segs[:first] {
		base = math.Max(base, sg.end)
	}
	stop := 0.0
	for _, sg := range segs[first : last+1] {
		stop = math.Max(stop, sg.end)
	}
	p := clipPlan{
		start: math.Ceil(base*1000+0.5) / 1000,
		end:   math.Ceil(stop*1000+0.5) / 1000,
		zero:  epoch(segs[first].start),
	}
	if in := math.Floor(p.start - segs[first].start); in >= 1 {
		// The previous segment overlaps this one by a second or more: the
		// clip then starts near start_ts, at a keyframe we cannot know.
		p.zero = epoch(segs[first].start + in)
	}
	return p, nil
}

// OpenClip downloads Frigate's clip.mp4 made of the whole segments that
// cover r (inside one span). The clip starts with the segment holding
// r.Start, at the time Frigate stored for it, so it may start up to one
// segment early; Exact is false since Frigate dates segments to the second.
func (s *Source) OpenClip(ctx context.Context, camera string, r vms.Range) (*vms.Clip, error) {
	if err := r.Check(); err != nil {
		return nil, err
	}
	if err := s.checkCamera(ctx, camera); err != nil {
		return nil, err
	}
	segs, err := s.segments(ctx, camera, r.Start.Add(-time.Minute), r.End.Add(time.Minute))
	if err != nil {
		return nil, err
	}
	p, err := plan(segs, r, s.cfg.Tolerance)
	if err != nil {
		return nil, fmt.Errorf("frigate: clip of %q at %s: %w", camera, r, err)
	}
	ts := func(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }
	path := "/api/" + url.PathEscape(camera) + "/start/" + ts(p.start) + "/end/" + ts(p.end) + "/clip.mp4"
	name := camera + "@" + p.zero.Format(time.RFC3339)
	// Whole segments: the clip may last up to a segment more than p.
	body, err := s.c.ClipOf(ctx, s.ep, path, nil, name, time.Duration((p.end-p.start)*float64(time.Second))+time.Minute)
	if err != nil {
		var se *StatusError
		if errors.As(err, &se) && (se.Code == http.StatusBadRequest || se.Code == http.StatusNotFound) &&
			strings.Contains(strings.ToLower(se.Message), "no recordings") {
			return nil, fmt.Errorf("frigate: clip %s: %w (%v)", name, vms.ErrNoFootage, err)
		}
		return nil, fmt.Errorf("frigate: clip %s: %w", name, err)
	}
	return &vms.Clip{ReadCloser: body, Start: p.zero, Exact: false, Name: "frigate:" + name}, nil
}

// session holds the login credentials and the session token. It is the
// endpoint's [fetch.Session]: the client logs in before the first request
// and once more when an answer is 401.
type session struct {
	c              *fetch.Client
	base           *url.URL
	user, password string

	mu     sync.Mutex
	token  string
	cookie *http.Cookie
}

var _ fetch.Session = (*session)(nil)

func (a *session) CanLogin() bool { return a.user != "" }

// NeedLogin is true when credentials are set and no token is held.
func (a *session) NeedLogin() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.CanLogin() && a.token == ""
}

func (a *session) Authorize(req *http.Request) {
	a.mu.Lock()
	tok, ck := a.token, a.cookie
	a.mu.Unlock()
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if ck != nil {
		req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
	}
}

// Login posts the credentials to /api/login and keeps the session cookie
// (frigate_token by default), also sent as a bearer token.
func (a *session) Login(ctx context.Context) error {
	const op = "POST /api/login"
	payload, _ := json.Marshal(map[string]string{"user": a.user, "password": a.password})
	ans, err := a.c.Post(ctx, fetch.Endpoint{Base: a.base}, "/api/login", "application/json", payload)
	if err != nil {
		return err
	}
	switch ans.Code {
	case http.StatusOK:
		for _, ck := range ans.Cookies() {
			if ck.Value != "" && (ck.Name == "frigate_token" || strings.Contains(ck.Name, "token")) {
				a.mu.Lock()
				a.token, a.cookie = ck.Value, ck
				a.mu.Unlock()
				return nil
			}
		}
		return fmt.Errorf("frigate: %w: %s: no session cookie in the answer", ErrBadResponse, op)
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden:
		return fmt.Errorf("frigate: %w: %s: login refused (HTTP %d: %s)", ErrUnauthorized, op, ans.Code, parseAPIError(ans.Body))
	}
	return a.c.StatusError(op, ans.Code, ans.Body)
}
