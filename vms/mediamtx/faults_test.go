package mediamtx_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"mileo.tech/extract/vms"
	"mileo.tech/extract/vms/mediamtx"
)

// faults puts a fault-injecting proxy in front of the real server's
// playback port: MediaMTX cannot be told to fail, cut a body or stall on
// demand, so the proxy does it while every other answer is the server's.
func faults(t *testing.T, srv *server, want []vms.Span) {
	target, _ := url.Parse(srv.playback)
	span := want[0]
	clipRange := vms.Range{Start: span.Start.Add(time.Second), End: span.Start.Add(4 * time.Second)}

	type fault func(calls int64, w http.ResponseWriter, r *http.Request, real func() *httptest.ResponseRecorder) bool

	proxy := func(t *testing.T, path string, f fault, mod func(*mediamtx.Config)) (*mediamtx.Source, *atomic.Int64) {
		rp := httputil.NewSingleHostReverseProxy(target)
		rp.FlushInterval = -1
		var calls atomic.Int64
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == path {
				n := calls.Add(1)
				real := func() *httptest.ResponseRecorder {
					rec := httptest.NewRecorder()
					rp.ServeHTTP(rec, r)
					return rec
				}
				if f(n, w, r, real) {
					return
				}
			}
			rp.ServeHTTP(w, r)
		}))
		t.Cleanup(ts.Close)
		cfg := mediamtx.Config{
			Playback:     ts.URL,
			API:          srv.api,
			PlaybackAuth: mediamtx.Auth{User: apiUser, Password: apiPass},
			APIAuth:      mediamtx.Auth{User: apiUser, Password: apiPass},
		}
		if mod != nil {
			mod(&cfg)
		}
		src, err := mediamtx.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(src.CloseIdleConnections)
		return src, &calls
	}
	ctx := context.Background()
	readClip := func(src *mediamtx.Source) error {
		clip, err := src.OpenClip(ctx, camera, clipRange)
		if err != nil {
			return err
		}
		defer clip.Close()
		_, err = io.Copy(io.Discard, clip)
		return err
	}
	apiError := func(w http.ResponseWriter, code int, msg string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		io.WriteString(w, `{"status":"error","error":"`+msg+`"}`)
	}

	t.Run("RetryOn503", func(t *testing.T) {
		src, calls := proxy(t, "/list", func(n int64, w http.ResponseWriter, r *http.Request, _ func() *httptest.ResponseRecorder) bool {
			if n <= 2 {
				apiError(w, http.StatusServiceUnavailable, "busy")
				return true
			}
			return false
		}, nil)
		spans, err := src.Recordings(ctx, camera, span)
		if err != nil || len(spans) != 1 {
			t.Fatalf("Recordings through two 503: %v %v", spans, err)
		}
		if calls.Load() != 3 {
			t.Errorf("%d calls, want 3", calls.Load())
		}
	})

	t.Run("NoRetryOn400", func(t *testing.T) {
		src, calls := proxy(t, "/list", func(n int64, w http.ResponseWriter, r *http.Request, _ func() *httptest.ResponseRecorder) bool {
			apiError(w, http.StatusBadRequest, "invalid start")
			return true
		}, nil)
		_, err := src.Recordings(ctx, camera, span)
		var se *mediamtx.StatusError
		if !errors.As(err, &se) || se.Code != 400 || !strings.Contains(err.Error(), "invalid start") {
			t.Errorf("Recordings: %v, want the server's 400 message", err)
		}
		if calls.Load() != 1 {
			t.Errorf("%d calls, want 1 (400 is not retried)", calls.Load())
		}
	})

	t.Run("RetryClipOn502", func(t *testing.T) {
		src, calls := proxy(t, "/get", func(n int64, w http.ResponseWriter, r *http.Request, _ func() *httptest.ResponseRecorder) bool {
			if n == 1 {
				w.WriteHeader(http.StatusBadGateway)
				return true
			}
			return false
		}, nil)
		if err := readClip(src); err != nil {
			t.Fatalf("clip through a 502: %v", err)
		}
		if calls.Load() != 2 {
			t.Errorf("%d calls, want 2", calls.Load())
		}
	})

	t.Run("TruncatedBody", func(t *testing.T) {
		src, _ := proxy(t, "/get", func(n int64, w http.ResponseWriter, r *http.Request, real func() *httptest.ResponseRecorder) bool {
			body := real().Body.Bytes()
			w.Header().Set("Content-Type", "video/mp4")
			w.Write(body[:len(body)/2]) // chunked: the body ends cleanly, early
			return true
		}, nil)
		if err := readClip(src); !errors.Is(err, mediamtx.ErrTruncated) {
			t.Errorf("reading a half clip: %v, want ErrTruncated", err)
		}
	})

	t.Run("CutConnection", func(t *testing.T) {
		src, _ := proxy(t, "/get", func(n int64, w http.ResponseWriter, r *http.Request, real func() *httptest.ResponseRecorder) bool {
			body := real().Body.Bytes()
			w.Header().Set("Content-Type", "video/mp4")
			w.Write(body[:len(body)/3])
			w.(http.Flusher).Flush()
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return true
		}, nil)
		if err := readClip(src); !errors.Is(err, mediamtx.ErrTruncated) {
			t.Errorf("reading a clip whose connection was cut: %v, want ErrTruncated", err)
		}
	})

	t.Run("SlowHeaders", func(t *testing.T) {
		src, _ := proxy(t, "/get", func(n int64, w http.ResponseWriter, r *http.Request, _ func() *httptest.ResponseRecorder) bool {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return true
		}, func(c *mediamtx.Config) { c.HeaderTimeout = 300 * time.Millisecond; c.Retries = 2 })
		if err := readClip(src); !errors.Is(err, mediamtx.ErrTimeout) {
			t.Errorf("clip from a server that never answers: %v, want ErrTimeout", err)
		}
	})

	t.Run("StalledBody", func(t *testing.T) {
		src, _ := proxy(t, "/get", func(n int64, w http.ResponseWriter, r *http.Request, real func() *httptest.ResponseRecorder) bool {
			body := real().Body.Bytes()
			w.Write(body[:len(body)/2])
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return true
		}, func(c *mediamtx.Config) { c.IdleTimeout = 300 * time.Millisecond })
		if err := readClip(src); !errors.Is(err, mediamtx.ErrTimeout) {
			t.Errorf("clip that stalls: %v, want ErrTimeout", err)
		}
	})

	t.Run("SlowJSON", func(t *testing.T) {
		src, calls := proxy(t, "/list", func(n int64, w http.ResponseWriter, r *http.Request, _ func() *httptest.ResponseRecorder) bool {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return true
		}, func(c *mediamtx.Config) { c.Timeout = 200 * time.Millisecond; c.Retries = 2 })
		_, err := src.Recordings(ctx, camera, span)
		if !errors.Is(err, mediamtx.ErrTimeout) {
			t.Errorf("Recordings from a silent server: %v, want ErrTimeout", err)
		}
		if calls.Load() != 2 {
			t.Errorf("%d calls, want 2 (timeouts are retried)", calls.Load())
		}
	})

	t.Run("HugeAnswer", func(t *testing.T) {
		src, _ := proxy(t, "/list", func(n int64, w http.ResponseWriter, r *http.Request, _ func() *httptest.ResponseRecorder) bool {
			w.Header().Set("Content-Type", "application/json")
			entry := []byte(`{"start":"2026-01-01T00:00:00Z","duration":1,"url":""},`)
			w.Write([]byte("["))
			w.Write(bytes.Repeat(entry, (2<<20)/len(entry)))
			return true
		}, func(c *mediamtx.Config) { c.MaxJSON = 1 << 20 })
		_, err := src.Recordings(ctx, camera, span)
		if !errors.Is(err, mediamtx.ErrBadResponse) {
			t.Errorf("Recordings with a 2 MiB answer: %v, want ErrBadResponse", err)
		}
	})

	t.Run("HostileList", func(t *testing.T) {
		src, _ := proxy(t, "/list", func(n int64, w http.ResponseWriter, r *http.Request, _ func() *httptest.ResponseRecorder) bool {
			io.WriteString(w, `[{"start":"2026-01-01T00:00:00Z","duration":-5,"url":""}]`)
			return true
		}, nil)
		_, err := src.Recordings(ctx, camera, span)
		if !errors.Is(err, mediamtx.ErrBadResponse) {
			t.Errorf("Recordings with a negative duration: %v, want ErrBadResponse", err)
		}
	})

	t.Run("NotMP4", func(t *testing.T) {
		src, _ := proxy(t, "/get", func(n int64, w http.ResponseWriter, r *http.Request, _ func() *httptest.ResponseRecorder) bool {
			io.WriteString(w, "<html>login</html>")
			return true
		}, nil)
		if err := readClip(src); !errors.Is(err, mediamtx.ErrBadResponse) {
			t.Errorf("clip that is an HTML page: %v, want ErrBadResponse", err)
		}
	})
}
