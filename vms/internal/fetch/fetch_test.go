package fetch

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The servers in these tests are scripted stand-ins (httptest on
// loopback): they fail, stall and cut bodies on demand, which no real VMS
// does when asked. The connectors run the same paths against a real
// MediaMTX in vms/mediamtx.

// serve starts a server answering path with h and counts the calls.
func serve(t *testing.T, h func(n int64, w http.ResponseWriter, r *http.Request)) (Endpoint, *atomic.Int64) {
	t.Helper()
	var calls atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h(calls.Add(1), w, r)
	}))
	t.Cleanup(ts.Close)
	u, err := ParseBase(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	return Endpoint{Base: u}, &calls
}

func newClient(t *testing.T, o Options) *Client {
	t.Helper()
	if o.Name == "" {
		o.Name = "test"
	}
	c := New(o)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func apiError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	io.WriteString(w, `{"error":"`+msg+`"}`)
}

// stall waits until the client gives up (or 5 s).
func stall(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(5 * time.Second):
	}
}

func TestGetJSON(t *testing.T) {
	tests := []struct {
		name      string
		opts      Options
		h         func(n int64, w http.ResponseWriter, r *http.Request)
		want      string // body, when no error
		wantErr   error
		wantCode  int // StatusError code, when not 0
		wantMsg   string
		wantCalls int64
	}{
		{name: "ok", h: func(n int64, w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Accept") != "application/json" {
				w.WriteHeader(http.StatusNotAcceptable)
				return
			}
			io.WriteString(w, `[]`)
		}, want: `[]`, wantCalls: 1},
		{name: "retry on 503", h: func(n int64, w http.ResponseWriter, r *http.Request) {
			if n <= 2 {
				apiError(w, http.StatusServiceUnavailable, "busy")
				return
			}
			io.WriteString(w, `{}`)
		}, want: `{}`, wantCalls: 3},
		{name: "429 502 504 retried", h: func(n int64, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader([]int{http.StatusTooManyRequests, http.StatusBadGateway, http.StatusGatewayTimeout}[n-1])
		}, wantCode: http.StatusGatewayTimeout, wantCalls: 3},
		{name: "no retry on 400", h: func(n int64, w http.ResponseWriter, r *http.Request) {
			apiError(w, http.StatusBadRequest, "invalid start")
		}, opts: Options{ErrorMessage: func(b []byte) string { return strings.TrimSuffix(strings.TrimPrefix(string(b), `{"error":"`), `"}`) }},
			wantCode: http.StatusBadRequest, wantMsg: "invalid start", wantCalls: 1},
		{name: "default message is an excerpt", h: func(n int64, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, "line1\nline2\x00")
		}, wantCode: http.StatusInternalServerError, wantMsg: "line1 line2", wantCalls: 1},
		{name: "401 is unauthorized", h: func(n int64, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusUnauthorized)
		}, wantErr: ErrUnauthorized, wantCode: http.StatusUnauthorized, wantCalls: 1},
		{name: "403 is unauthorized", h: func(n int64, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusForbidden)
		}, wantErr: ErrUnauthorized, wantCode: http.StatusForbidden, wantCalls: 1},
		{name: "slow answer", opts: Options{Timeout: 200 * time.Millisecond, Retries: 2},
			h: func(n int64, w http.ResponseWriter, r *http.Request) { stall(r) }, wantErr: ErrTimeout, wantCalls: 2},
		{name: "huge answer", opts: Options{MaxJSON: 1 << 10}, h: func(n int64, w http.ResponseWriter, r *http.Request) {
			w.Write(make([]byte, 1<<10+1))
		}, wantErr: ErrBadResponse, wantCalls: 1},
		{name: "answer at the limit", opts: Options{MaxJSON: 1 << 10}, h: func(n int64, w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, strings.Repeat(" ", 1<<10))
		}, want: strings.Repeat(" ", 1<<10), wantCalls: 1},
		{name: "cut answer retried", h: func(n int64, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				w.Header().Set("Content-Length", "100")
				io.WriteString(w, `[{"a":`)
				w.(http.Flusher).Flush()
				if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
					conn.Close()
				}
				return
			}
			io.WriteString(w, `[]`)
		}, want: `[]`, wantCalls: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep, calls := serve(t, tt.h)
			c := newClient(t, tt.opts)
			body, err := c.GetJSON(context.Background(), ep, "/list", url.Values{"path": {"cam1"}})
			if n := calls.Load(); n != tt.wantCalls {
				t.Errorf("%d calls, want %d", n, tt.wantCalls)
			}
			if tt.wantErr == nil && tt.wantCode == 0 {
				if err != nil || string(body) != tt.want {
					t.Fatalf("got %q, %v; want %q", body, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("got %q, want an error", body)
			}
			if !strings.HasPrefix(err.Error(), "test: ") {
				t.Errorf("error %q does not start with the client's name", err)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantCode != 0 {
				var se *StatusError
				if !errors.As(err, &se) || se.Code != tt.wantCode || se.Op != "GET /list" || se.Message != tt.wantMsg {
					t.Errorf("err = %#v, want a StatusError %d %q", err, tt.wantCode, tt.wantMsg)
				}
			}
		})
	}
}

func TestCancelled(t *testing.T) {
	ep, calls := serve(t, func(n int64, w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	c := newClient(t, Options{Retries: 5})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := c.GetJSON(ctx, ep, "/list", nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if n := calls.Load(); n >= 5 {
		t.Errorf("%d calls: the cancellation did not stop the retries", n)
	}
}

// TestNoURLInErrors: transport errors name the operation, not the URL.
func TestNoURLInErrors(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	u, _ := ParseBase(ts.URL)
	ts.Close() // nothing listens there any more
	c := newClient(t, Options{Retries: 1})
	_, err := c.GetJSON(context.Background(), Endpoint{Base: u}, "/secret-path", url.Values{"token": {"tok3n"}})
	if err == nil {
		t.Fatal("no error from a closed server")
	}
	if strings.Contains(err.Error(), "tok3n") || strings.Contains(err.Error(), "http://") {
		t.Errorf("error holds the URL: %v", err)
	}
	if !strings.HasPrefix(err.Error(), "test: GET /secret-path: ") {
		t.Errorf("error %q, want it to name the client and operation", err)
	}
}

func TestCredentials(t *testing.T) {
	tests := []struct {
		name string
		ui   *url.Userinfo
		want Credentials
		hdr  string
	}{
		{"none", nil, Credentials{}, ""},
		{"basic", url.UserPassword("op", "p@ss"), Credentials{User: "op", Password: "p@ss"}, "Basic b3A6cEBzcw=="},
		{"user only", url.User("op"), Credentials{User: "op"}, "Basic b3A6"},
		{"bearer", url.UserPassword("bearer", "tok.en"), Credentials{Token: "tok.en"}, "Bearer tok.en"},
		{"Bearer any case", url.UserPassword("BEARER", "t"), Credentials{Token: "t"}, "Bearer t"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CredentialsOf(tt.ui)
			if got != tt.want {
				t.Fatalf("CredentialsOf = %+v, want %+v", got, tt.want)
			}
			req, _ := http.NewRequest(http.MethodGet, "http://x/", nil)
			got.Authorize(req)
			if h := req.Header.Get("Authorization"); h != tt.hdr {
				t.Errorf("Authorization %q, want %q", h, tt.hdr)
			}
		})
	}
}

func TestParseBase(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{in: "http://nvr:9996", want: "http://nvr:9996"},
		{in: "https://u:secret@nvr:8971/prefix/?q=1#f", want: "https://nvr:8971/prefix/"},
		{in: "http://[::1]:5000", want: "http://[::1]:5000"},
		{in: "ftp://nvr", wantErr: true},
		{in: "http:///x", wantErr: true},
		{in: "http://u:secret@nvr:99999999%zz", wantErr: true},
	}
	for _, tt := range tests {
		u, err := ParseBase(tt.in)
		if tt.wantErr {
			if err == nil {
				t.Errorf("ParseBase(%q) = %v, want an error", tt.in, u)
			} else if strings.Contains(err.Error(), "secret") {
				t.Errorf("ParseBase(%q): error reveals the password: %v", tt.in, err)
			}
			continue
		}
		if err != nil || u.String() != tt.want {
			t.Errorf("ParseBase(%q) = %v, %v; want %s", tt.in, u, err, tt.want)
		}
	}
	u, _ := ParseBase("http://nvr:9996/base/")
	if got := (Endpoint{Base: u}).URL("/list", url.Values{"path": {"a b"}}); got != "http://nvr:9996/base/list?path=a+b" {
		t.Errorf("URL = %q", got)
	}
}

// session is a test Session counting its logins; the server accepts the
// token of the latest login, for uses requests.
type session struct {
	mu     sync.Mutex
	user   string
	token  string
	logins int
	fail   error
}

func (s *session) Authorize(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token != "" {
		r.Header.Set("Authorization", "Bearer "+s.token)
	}
}
func (s *session) CanLogin() bool { return s.user != "" }
func (s *session) NeedLogin() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.user != "" && s.token == ""
}
func (s *session) Login(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.logins++
	s.token = "session-" + string(rune('0'+s.logins))
	return nil
}

func TestSession(t *testing.T) {
	refused := errors.New("login refused")
	tests := []struct {
		name       string
		sess       *session
		valid      func(n int64, tok string) bool // whether the server accepts tok on call n
		wantErr    error
		wantLogins int
		wantCalls  int64
	}{
		{name: "logs in first", sess: &session{user: "op"},
			valid:      func(n int64, tok string) bool { return tok == "Bearer session-1" },
			wantLogins: 1, wantCalls: 1},
		{name: "logs in again after a 401", sess: &session{user: "op", token: "expired"},
			valid:      func(n int64, tok string) bool { return tok == "Bearer session-1" },
			wantLogins: 1, wantCalls: 2},
		{name: "only once", sess: &session{user: "op"},
			valid:   func(n int64, tok string) bool { return false },
			wantErr: ErrUnauthorized, wantLogins: 2, wantCalls: 2},
		{name: "a token without credentials", sess: &session{token: "given"},
			valid:   func(n int64, tok string) bool { return false },
			wantErr: ErrUnauthorized, wantLogins: 0, wantCalls: 1},
		{name: "login fails", sess: &session{user: "op", fail: refused},
			valid:   func(n int64, tok string) bool { return true },
			wantErr: refused, wantLogins: 0, wantCalls: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := func(n int64, w http.ResponseWriter, r *http.Request) {
				if !tt.valid(n, r.Header.Get("Authorization")) {
					w.WriteHeader(http.StatusUnauthorized)
					return
				}
				io.WriteString(w, "{}")
			}
			for _, kind := range []string{"GetJSON", "Clip"} {
				t.Run(kind, func(t *testing.T) {
					sess := &session{user: tt.sess.user, token: tt.sess.token, fail: tt.sess.fail}
					ep, calls := serve(t, h)
					ep.Auth = sess
					c := newClient(t, Options{})
					var err error
					if kind == "GetJSON" {
						_, err = c.GetJSON(context.Background(), ep, "/api/config", nil)
					} else {
						var b io.ReadCloser
						if b, err = c.Clip(context.Background(), ep, "/clip.mp4", nil, "c"); err == nil {
							b.Close()
						}
					}
					if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
						t.Errorf("err = %v, want %v", err, tt.wantErr)
					}
					if sess.logins != tt.wantLogins || calls.Load() != tt.wantCalls {
						t.Errorf("%d logins, %d calls; want %d, %d", sess.logins, calls.Load(), tt.wantLogins, tt.wantCalls)
					}
				})
			}
		})
	}
}

func TestPost(t *testing.T) {
	tests := []struct {
		name      string
		h         func(n int64, w http.ResponseWriter, r *http.Request)
		wantCode  int
		wantErr   error
		wantCalls int64
	}{
		{name: "ok with a cookie", h: func(n int64, w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || string(b) != `{"user":"op"}` {
				w.WriteHeader(http.StatusTeapot)
				return
			}
			http.SetCookie(w, &http.Cookie{Name: "frigate_token", Value: "jwt"})
		}, wantCode: http.StatusOK, wantCalls: 1},
		{name: "401 handed back", h: func(n int64, w http.ResponseWriter, r *http.Request) {
			apiError(w, http.StatusUnauthorized, "Invalid credentials")
		}, wantCode: http.StatusUnauthorized, wantCalls: 1},
		{name: "503 retried", h: func(n int64, w http.ResponseWriter, r *http.Request) {
			if n == 1 {
				w.WriteHeader(http.StatusServiceUnavailable)
			}
		}, wantCode: http.StatusOK, wantCalls: 2},
		{name: "503 persists", h: func(n int64, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
		}, wantErr: &StatusError{}, wantCalls: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep, calls := serve(t, tt.h)
			c := newClient(t, Options{})
			ans, err := c.Post(context.Background(), ep, "/api/login", "application/json", []byte(`{"user":"op"}`))
			if calls.Load() != tt.wantCalls {
				t.Errorf("%d calls, want %d", calls.Load(), tt.wantCalls)
			}
			if tt.wantErr != nil {
				var se *StatusError
				if !errors.As(err, &se) || se.Op != "POST /api/login" {
					t.Errorf("err = %v, want a StatusError", err)
				}
				return
			}
			if err != nil || ans.Code != tt.wantCode {
				t.Fatalf("got %+v, %v; want %d", ans, err, tt.wantCode)
			}
			if tt.wantCode == http.StatusOK && tt.wantCalls == 1 {
				if ck := ans.Cookies(); len(ck) != 1 || ck[0].Name != "frigate_token" || ck[0].Value != "jwt" {
					t.Errorf("cookies %v", ck)
				}
			}
		})
	}
}

func TestStatusError(t *testing.T) {
	tests := []struct {
		e    StatusError
		want string
		auth bool
	}{
		{StatusError{Name: "mediamtx", Op: "GET /list", Code: 400, Message: "bad"}, "mediamtx: GET /list: HTTP 400 Bad Request: bad", false},
		{StatusError{Op: "GET /list", Code: 404}, "GET /list: HTTP 404 Not Found", false},
		{StatusError{Name: "frigate", Op: "GET /api/config", Code: 401}, "frigate: GET /api/config: HTTP 401 Unauthorized", true},
		{StatusError{Name: "frigate", Op: "GET /api/config", Code: 403}, "frigate: GET /api/config: HTTP 403 Forbidden", true},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
		if got := errors.Is(&tt.e, ErrUnauthorized); got != tt.auth {
			t.Errorf("%s: errors.Is(ErrUnauthorized) = %v", tt.want, got)
		}
	}
}
