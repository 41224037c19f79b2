package fetch

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// endless writes an MP4 whose mdat never ends (size 0: to the end of the
// stream), chunk by chunk, every pause, until the client goes away.
func endless(chunk int, pause time.Duration) func(n int64, w http.ResponseWriter, r *http.Request) {
	return func(n int64, w http.ResponseWriter, r *http.Request) {
		head := append(append([]byte(nil), box("ftyp", 16)...), box("moov", 100)...)
		head = append(head, 0, 0, 0, 0, 'm', 'd', 'a', 't')
		w.Write(head)
		buf := make([]byte, chunk)
		for {
			if _, err := w.Write(buf); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(pause):
			}
		}
	}
}

// R-EXP-3 (bounded sources): hostile or broken servers cannot fill the
// disk or hold an export forever: an endless or oversized clip is cut at
// the bound from its duration, a lying Content-Length is a truncated clip,
// a trickle is a stall, and every clip has an overall deadline.
func TestHostileClipServers(t *testing.T) {
	tests := []struct {
		name     string
		opts     Options
		d        time.Duration
		h        func(n int64, w http.ResponseWriter, r *http.Request)
		want     error
		wantRead int64 // bytes handed over, when > 0
	}{
		{name: "endless body", opts: Options{MaxBitrate: 8 << 20, ClipSlack: 1 << 20}, d: time.Second,
			h: endless(64<<10, 0), want: ErrTooLarge, wantRead: 2 << 20},
		{name: "huge Content-Length", opts: Options{MaxBitrate: 8 << 20, ClipSlack: 1 << 20}, d: time.Second,
			h: func(n int64, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "10000000000")
				endless(64<<10, 0)(n, w, r)
			}, want: ErrTooLarge, wantRead: 2 << 20},
		{name: "Content-Length longer than the body", h: func(n int64, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "1000000")
			w.Write(clip)
		}, d: time.Second, want: ErrTruncated},
		{name: "Content-Length shorter than the body", h: func(n int64, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "1000")
			w.Write(clip)
		}, d: time.Second, want: ErrTruncated},
		{name: "trickle", opts: Options{IdleTimeout: 300 * time.Millisecond, StallBytes: 4096}, d: time.Second,
			h: endless(1, 20*time.Millisecond), want: ErrStalled},
		{name: "never ends in time", opts: Options{IdleTimeout: time.Second, StallBytes: 1024, ClipDeadline: 400 * time.Millisecond},
			h: endless(4096, 10*time.Millisecond), want: ErrDeadline},
		{name: "headers never come", opts: Options{ClipDeadline: 300 * time.Millisecond, Retries: 1},
			h: func(n int64, w http.ResponseWriter, r *http.Request) { stall(r) }, want: ErrDeadline},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep, _ := serve(t, tt.h)
			c := newClient(t, tt.opts)
			body, err := c.ClipOf(context.Background(), ep, "/get", nil, "cam1@t", tt.d)
			var n int64
			if err == nil {
				n, err = io.Copy(io.Discard, body)
				body.Close()
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v after %d bytes, want %v", err, n, tt.want)
			}
			if (errors.Is(err, ErrStalled) || errors.Is(err, ErrDeadline)) && !errors.Is(err, ErrTimeout) {
				t.Errorf("%v must also be an ErrTimeout", err)
			}
			if tt.wantRead > 0 && n != tt.wantRead {
				t.Errorf("%d bytes handed over, want the bound, %d", n, tt.wantRead)
			}
		})
	}
	if got := New(Options{}).MaxClipBytes(time.Hour); got != 50_000_000/8*3600+DefaultClipSlack {
		t.Errorf("default bound of an hour: %d bytes", got)
	}
}

// R-EXP-3 (bounded sources), R-SEC: credentials never follow a redirect
// to another scheme, host or port; a redirect inside the same server keeps
// them.
func TestRedirectDropsCredentials(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]string{} // server → Authorization header received
	record := func(name string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			seen[name] = r.Header.Get("Authorization") + r.Header.Get("Cookie")
			mu.Unlock()
			w.Write(clip)
		}
	}
	other := httptest.NewServer(record("other")) // same host, another port
	defer other.Close()
	var origin *httptest.Server
	origin = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/cross":
			http.Redirect(w, r, other.URL+"/x", http.StatusFound)
		case "/same":
			http.Redirect(w, r, origin.URL+"/here", http.StatusFound)
		default:
			record("origin")(w, r)
		}
	}))
	defer origin.Close()
	u, err := ParseBase(origin.URL)
	if err != nil {
		t.Fatal(err)
	}
	ep := Endpoint{Base: u, Auth: Credentials{User: "admin", Password: "secret"}}
	for _, custom := range []bool{false, true} {
		o := Options{}
		if custom {
			o.HTTPClient = &http.Client{} // a caller's client gets the same policy
		}
		c := newClient(t, o)
		for _, p := range []string{"/cross", "/same"} {
			body, err := c.ClipOf(context.Background(), ep, p, nil, "c", time.Second)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, body)
			body.Close()
		}
		if _, err := c.GetJSON(context.Background(), ep, "/cross", nil); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		if seen["other"] != "" {
			t.Errorf("custom client %v: the other port received %q", custom, seen["other"])
		}
		if seen["origin"] == "" {
			t.Errorf("custom client %v: a redirect inside the server lost the credentials", custom)
		}
		clear(seen)
		mu.Unlock()
	}
}
