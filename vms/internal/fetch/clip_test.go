package fetch

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// box returns one MP4 box of typ with n bytes of payload.
func box(typ string, n int) []byte {
	b := make([]byte, 8+n)
	binary.BigEndian.PutUint32(b, uint32(8+n))
	copy(b[4:], typ)
	return b
}

var clip = bytes.Join([][]byte{box("ftyp", 16), box("moov", 100), box("moof", 30), box("mdat", 4000)}, nil)

func TestClip(t *testing.T) {
	tests := []struct {
		name      string
		opts      Options
		h         func(n int64, w http.ResponseWriter, r *http.Request)
		wantOpen  error // error of Clip
		wantCode  int   // StatusError of Clip
		wantRead  error // error of reading the body
		wantCalls int64
	}{
		{name: "whole", h: func(n int64, w http.ResponseWriter, r *http.Request) { w.Write(clip) }, wantCalls: 1},
		{name: "retry on 502", h: func(n int64, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			w.Write(clip)
		}, wantCalls: 2},
		{name: "no retry on 404", h: func(n int64, w http.ResponseWriter, r *http.Request) {
			apiError(w, http.StatusNotFound, "no segments")
		}, wantCode: http.StatusNotFound, wantCalls: 1},
		{name: "truncated body", h: func(n int64, w http.ResponseWriter, r *http.Request) {
			w.Write(clip[:len(clip)/2]) // chunked: the body ends cleanly, early
		}, wantRead: ErrTruncated, wantCalls: 1},
		{name: "cut connection", h: func(n int64, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100000")
			w.Write(clip[:len(clip)/3])
			w.(http.Flusher).Flush()
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
		}, wantRead: ErrTruncated, wantCalls: 1},
		{name: "not MP4", h: func(n int64, w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "<html>login</html>")
		}, wantRead: ErrBadResponse, wantCalls: 1},
		{name: "slow headers", opts: Options{HeaderTimeout: 300 * time.Millisecond, Retries: 2},
			h: func(n int64, w http.ResponseWriter, r *http.Request) { stall(r) }, wantOpen: ErrTimeout, wantCalls: 2},
		{name: "stalled body", opts: Options{IdleTimeout: 300 * time.Millisecond}, h: func(n int64, w http.ResponseWriter, r *http.Request) {
			w.Write(clip[:len(clip)/2])
			w.(http.Flusher).Flush()
			stall(r)
		}, wantRead: ErrTimeout, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep, calls := serve(t, tt.h)
			c := newClient(t, tt.opts)
			body, err := c.Clip(context.Background(), ep, "/get", nil, "cam1@t")
			if calls.Load() != tt.wantCalls {
				t.Errorf("%d calls, want %d", calls.Load(), tt.wantCalls)
			}
			switch {
			case tt.wantOpen != nil:
				if !errors.Is(err, tt.wantOpen) {
					t.Fatalf("Clip: %v, want %v", err, tt.wantOpen)
				}
				return
			case tt.wantCode != 0:
				var se *StatusError
				if !errors.As(err, &se) || se.Code != tt.wantCode {
					t.Fatalf("Clip: %v, want HTTP %d", err, tt.wantCode)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			defer body.Close()
			got, err := io.ReadAll(body)
			if tt.wantRead == nil {
				if err != nil || !bytes.Equal(got, clip) {
					t.Errorf("read %d bytes, %v; want the %d bytes of the clip", len(got), err, len(clip))
				}
				return
			}
			if !errors.Is(err, tt.wantRead) {
				t.Errorf("read: %v, want %v", err, tt.wantRead)
			}
			if err != nil && (!strings.HasPrefix(err.Error(), "test: ") || !strings.Contains(err.Error(), "clip cam1@t")) {
				t.Errorf("error %q does not name the client and the clip", err)
			}
			if err := body.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
}

// TestClipCancelled: cancelling the context while a clip is read ends the
// read with an error wrapping context.Canceled.
func TestClipCancelled(t *testing.T) {
	ep, _ := serve(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		w.Write(clip[:100])
		w.(http.Flusher).Flush()
		stall(r)
	})
	c := newClient(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	body, err := c.Clip(ctx, ep, "/get", nil, "c")
	if err != nil {
		t.Fatal(err)
	}
	defer body.Close()
	buf := make([]byte, 100)
	if _, err := io.ReadFull(body, buf); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := io.ReadAll(body); !errors.Is(err, context.Canceled) {
		t.Errorf("read after cancel: %v, want context.Canceled", err)
	}
}
