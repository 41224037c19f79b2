package mediamtx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"mileo.tech/extract/vms"
	"mileo.tech/extract/vms/internal/fetch"
)

// Config describes one MediaMTX server. Zero durations take the defaults.
type Config struct {
	// Playback is the playback server's URL, e.g. http://host:9996, without
	// credentials.
	Playback string
	// API is the control API's URL, e.g. http://host:9997.
	API string
	// PlaybackAuth and APIAuth are the credentials of each server.
	PlaybackAuth, APIAuth Auth
	// Name is the site or system name shown to people (default: the host).
	Name string

	Timeout       time.Duration // one JSON request attempt (default 30 s)
	HeaderTimeout time.Duration // wait for a clip's first byte (default 2 min)
	IdleTimeout   time.Duration // longest silence inside a clip (default 60 s)
	Retries       int           // attempts of a safe request (default 3)
	// EndPadding is added to a clip's duration so the last frames of a
	// span are not lost to clock drift (default 2 s; see the package doc).
	EndPadding time.Duration
	// MaxJSON bounds a JSON answer (default 64 MiB).
	MaxJSON int64
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
	DefaultTimeout       = fetch.DefaultTimeout       // 30 s
	DefaultHeaderTimeout = fetch.DefaultHeaderTimeout // 2 min
	DefaultIdleTimeout   = fetch.DefaultIdleTimeout   // 60 s
	DefaultRetries       = fetch.DefaultRetries       // 3
	DefaultEndPadding    = 2 * time.Second
	DefaultMaxJSON       = fetch.DefaultMaxJSON // 64 MiB
)

// ParseAddress parses the part of a source address after "mediamtx:":
//
//	http[s]://[USER:PASSWORD@]HOST[:PORT][/PREFIX][?api=URL][&name=NAME][&timeout=DURATION]
//
// The user "bearer" means PASSWORD is a bearer token. The credentials are
// sent to both servers; the api= URL cannot hold any (use [Config] for
// distinct ones).
func ParseAddress(addr string) (Config, error) {
	var cfg Config
	u, err := url.Parse(addr)
	if err != nil {
		return cfg, fmt.Errorf("mediamtx address: %w", fetch.StripURL(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return cfg, fmt.Errorf("mediamtx address: want http://HOST:9996?api=http://HOST:9997")
	}
	cfg.PlaybackAuth = fetch.CredentialsOf(u.User)
	q := u.Query()
	for k := range q {
		switch k {
		case "api", "name", "timeout":
		default:
			return cfg, fmt.Errorf("mediamtx address: unknown parameter %q (api, name, timeout)", k)
		}
	}
	if v := q.Get("timeout"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return cfg, fmt.Errorf("mediamtx address: timeout %q: want a duration such as 30s", v)
		}
		cfg.Timeout = d
	}
	cfg.Name = q.Get("name")
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	cfg.Playback = u.String()

	cfg.APIAuth = cfg.PlaybackAuth
	if v := q.Get("api"); v != "" {
		a, err := url.Parse(v)
		if err != nil {
			return cfg, fmt.Errorf("mediamtx address: api: %w", fetch.StripURL(err))
		}
		if a.Scheme != "http" && a.Scheme != "https" || a.Host == "" {
			return cfg, fmt.Errorf("mediamtx address: api: want http://HOST:9997")
		}
		if a.User != nil {
			// connect.Redact hides the user-info of the address itself,
			// not of a URL inside its query: credentials go in one place.
			return cfg, fmt.Errorf("mediamtx address: put credentials in the playback URL (they are sent to both servers), not in api=")
		}
		a.User, a.RawQuery, a.Fragment = nil, "", ""
		cfg.API = a.String()
	} else {
		a := *u
		a.Host = net.JoinHostPort(u.Hostname(), "9997")
		a.Path = ""
		cfg.API = a.String()
	}
	return cfg, nil
}

// Source is a MediaMTX server. It is safe for concurrent use.
type Source struct {
	cfg       Config
	play, api fetch.Endpoint
	c         *fetch.Client
	info      vms.Info

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
	play, err := fetch.ParseBase(cfg.Playback)
	if err != nil {
		return nil, fmt.Errorf("mediamtx playback URL: %w", err)
	}
	api, err := fetch.ParseBase(cfg.API)
	if err != nil {
		return nil, fmt.Errorf("mediamtx API URL: %w", err)
	}
	if cfg.EndPadding <= 0 {
		cfg.EndPadding = DefaultEndPadding
	}
	name := cfg.Name
	if name == "" {
		name = play.Hostname()
	}
	addr := "mediamtx:" + play.String() + "?api=" + url.QueryEscape(api.String())
	if cfg.Name != "" {
		addr += "&name=" + url.QueryEscape(cfg.Name)
	}
	return &Source{
		cfg:  cfg,
		play: fetch.Endpoint{Base: play, Auth: cfg.PlaybackAuth},
		api:  fetch.Endpoint{Base: api, Auth: cfg.APIAuth},
		c: fetch.New(fetch.Options{Name: "mediamtx", Timeout: cfg.Timeout, HeaderTimeout: cfg.HeaderTimeout,
			IdleTimeout: cfg.IdleTimeout, Retries: cfg.Retries, MaxJSON: cfg.MaxJSON,
			MaxBitrate: cfg.MaxBitrate, ClipSlack: cfg.ClipSlack, ClipDeadline: cfg.ClipDeadline, StallBytes: cfg.StallBytes,
			HTTPClient: cfg.HTTPClient, ErrorMessage: parseAPIError}),
		info: vms.Info{Kind: "mediamtx", Address: addr, Name: name},
	}, nil
}

// Info describes the source; its address never holds credentials.
func (s *Source) Info() vms.Info { return s.info }

// CloseIdleConnections closes idle keep-alive connections to the servers.
func (s *Source) CloseIdleConnections() { s.c.CloseIdleConnections() }

// maxPages bounds paging through the control API.
const maxPages = 1000

// Cameras lists the paths of the server: those it knows now
// (/v3/paths/list) and those that only have recordings left
// (/v3/recordings/list, listed offline), sorted by id.
func (s *Source) Cameras(ctx context.Context) ([]vms.Camera, error) {
	byID := map[string]vms.Camera{}
	for page := 0; page < maxPages; page++ {
		q := url.Values{"itemsPerPage": {"500"}, "page": {strconv.Itoa(page)}}
		body, err := s.c.GetJSON(ctx, s.api, "/v3/paths/list", q)
		if err != nil {
			return nil, fmt.Errorf("list cameras: %w", err)
		}
		cams, pages, err := parsePaths(body)
		if err != nil {
			return nil, fmt.Errorf("list cameras: %w", err)
		}
		for _, c := range cams {
			byID[c.ID] = c
		}
		if page+1 >= pages {
			break
		}
	}
	for page := 0; page < maxPages; page++ {
		// Each item carries all its segments: small pages keep answers small.
		q := url.Values{"itemsPerPage": {"5"}, "page": {strconv.Itoa(page)}}
		body, err := s.c.GetJSON(ctx, s.api, "/v3/recordings/list", q)
		var se *StatusError
		if errors.As(err, &se) && se.Code == http.StatusNotFound {
			break // servers older than v1.6 have no recordings API
		}
		if err != nil {
			return nil, fmt.Errorf("list cameras: %w", err)
		}
		names, pages, err := parseRecordingNames(body)
		if err != nil {
			return nil, fmt.Errorf("list cameras: %w", err)
		}
		for _, n := range names {
			if _, ok := byID[n]; !ok {
				byID[n] = vms.Camera{ID: n, Name: n}
			}
		}
		if page+1 >= pages {
			break
		}
	}
	out := make([]vms.Camera, 0, len(byID))
	known := make(map[string]bool, len(byID))
	for id, c := range byID {
		out = append(out, c)
		known[id] = true
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	s.mu.Lock()
	s.known, s.knownAt = known, time.Now()
	s.mu.Unlock()
	return out, nil
}

// knownCamera tells whether camera is one of the server's paths, using the
// list of the last 30 seconds or asking again.
func (s *Source) knownCamera(ctx context.Context, camera string) (bool, error) {
	s.mu.Lock()
	known, at := s.known, s.knownAt
	s.mu.Unlock()
	if known != nil && known[camera] && time.Since(at) < 30*time.Second {
		return true, nil
	}
	if _, err := s.Cameras(ctx); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.known[camera], nil
}

// classify turns a 400/404 answer about camera into ErrUnknownCamera, or
// into notFound when the camera exists; other errors pass through.
func (s *Source) classify(ctx context.Context, camera string, err error, notFound error) error {
	var se *StatusError
	if !errors.As(err, &se) || se.Code != http.StatusNotFound && se.Code != http.StatusBadRequest {
		return err
	}
	ok, kerr := s.knownCamera(ctx, camera)
	if kerr != nil {
		return fmt.Errorf("%w (and checking the camera list failed: %v)", err, kerr)
	}
	if !ok {
		return fmt.Errorf("mediamtx: %w: %q", vms.ErrUnknownCamera, camera)
	}
	// 404: no segment there. 400 "lstat …: no such file or directory": the
	// path exists but never recorded.
	if se.Code == http.StatusNotFound || strings.Contains(se.Message, "no such file or directory") {
		return notFound
	}
	return err
}

var errNoSpans = errors.New("no spans")

func validCamera(camera string) error {
	if camera == "" || strings.HasPrefix(camera, "/") || strings.HasSuffix(camera, "/") || len(camera) > 512 {
		return fmt.Errorf("mediamtx: %w: %q", vms.ErrUnknownCamera, camera)
	}
	for _, r := range camera {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune("_-./", r)
		if !ok {
			return fmt.Errorf("mediamtx: %w: %q", vms.ErrUnknownCamera, camera)
		}
	}
	return nil
}

// Recordings returns the spans of camera overlapping r, sorted, clipped to r
// and never overlapping. Two spans may touch: see the package doc.
func (s *Source) Recordings(ctx context.Context, camera string, r vms.Range) ([]vms.Span, error) {
	if err := r.Check(); err != nil {
		return nil, err
	}
	if err := validCamera(camera); err != nil {
		return nil, err
	}
	q := url.Values{
		"path":  {camera},
		"start": {r.Start.UTC().Format(time.RFC3339Nano)},
		"end":   {r.End.UTC().Format(time.RFC3339Nano)},
	}
	body, err := s.c.GetJSON(ctx, s.play, "/list", q)
	if err != nil {
		err = s.classify(ctx, camera, err, errNoSpans)
		if errors.Is(err, errNoSpans) {
			return nil, nil
		}
		return nil, fmt.Errorf("recordings of %q: %w", camera, err)
	}
	spans, err := parseList(body)
	if err != nil {
		return nil, fmt.Errorf("recordings of %q: %w", camera, err)
	}
	return separate(vms.ClipTo(spans, r)), nil
}

// OpenClip downloads the footage of camera over r (inside one span) as an
// MP4 whose presentation starts exactly at r.Start.
func (s *Source) OpenClip(ctx context.Context, camera string, r vms.Range) (*vms.Clip, error) {
	if err := r.Check(); err != nil {
		return nil, err
	}
	spans, err := s.Recordings(ctx, camera, r)
	if err != nil {
		return nil, err
	}
	if len(spans) == 0 || spans[0].Start.After(r.Start) {
		return nil, fmt.Errorf("mediamtx: clip of %q at %s: %w", camera, r, vms.ErrNoFootage)
	}
	d := r.Duration() + s.cfg.EndPadding
	q := url.Values{
		"path":     {camera},
		"start":    {r.Start.UTC().Format(time.RFC3339Nano)},
		"duration": {strconv.FormatFloat(d.Seconds(), 'f', -1, 64)},
		"format":   {"mp4"},
	}
	name := camera + "@" + r.Start.UTC().Format(time.RFC3339Nano)
	body, err := s.c.ClipOf(ctx, s.play, "/get", q, name, d)
	if err != nil {
		err = s.classify(ctx, camera, err, vms.ErrNoFootage)
		return nil, fmt.Errorf("mediamtx: clip %s: %w", name, err)
	}
	return &vms.Clip{ReadCloser: body, Start: r.Start, Exact: true, Name: "mediamtx:" + name}, nil
}
