package mediamtx

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"mileo.tech/extract/vms"
)

func mustRead(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// testdata/*.json are answers of a real MediaMTX v1.20.1.
func TestParseList(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []vms.Span
		wantErr bool
	}{
		{name: "real answer", in: string(mustRead(t, "list.json")), want: []vms.Span{
			{Start: ts("2026-11-23T18:27:42.650337Z"), End: ts("2026-11-23T18:27:54.498356Z")},
			{Start: ts("2026-11-23T18:28:05.446227Z"), End: ts("2026-11-23T18:28:17.2682Z")},
		}},
		{name: "empty", in: `[]`, want: []vms.Span{}},
		{name: "null", in: `null`, want: []vms.Span{}},
		{name: "zero duration dropped", in: `[{"start":"2026-01-01T00:00:00Z","duration":0,"url":""}]`, want: []vms.Span{}},
		{name: "unsorted", in: `[{"start":"2026-01-01T00:01:00Z","duration":1},{"start":"2026-01-01T00:00:00+01:00","duration":2}]`, want: []vms.Span{
			{Start: ts("2025-12-31T23:00:00Z"), End: ts("2025-12-31T23:00:02Z")},
			{Start: ts("2026-01-01T00:01:00Z"), End: ts("2026-01-01T00:01:01Z")},
		}},
		{name: "negative duration", in: `[{"start":"2026-01-01T00:00:00Z","duration":-1}]`, wantErr: true},
		{name: "absurd duration", in: `[{"start":"2026-01-01T00:00:00Z","duration":1e300}]`, wantErr: true},
		{name: "duration as string", in: `[{"start":"2026-01-01T00:00:00Z","duration":"5"}]`, wantErr: true},
		{name: "start as number", in: `[{"start":1700000000,"duration":5}]`, wantErr: true},
		{name: "missing start", in: `[{"duration":5}]`, wantErr: true},
		{name: "missing duration", in: `[{"start":"2026-01-01T00:00:00Z"}]`, wantErr: true},
		{name: "bad time", in: `[{"start":"yesterday","duration":5}]`, wantErr: true},
		{name: "object instead of list", in: `{"status":"error","error":"x"}`, wantErr: true},
		{name: "trailing data", in: `[] []`, wantErr: true},
		{name: "truncated", in: `[{"start":"2026-01-01T00:00:00Z","dur`, wantErr: true},
		{name: "empty body", in: ``, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseList([]byte(tt.in))
			if tt.wantErr {
				if !errors.Is(err, ErrBadResponse) {
					t.Fatalf("err = %v, want ErrBadResponse", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if !got[i].Start.Equal(tt.want[i].Start) || !got[i].End.Equal(tt.want[i].End) {
					t.Errorf("span %d: got %s, want %s", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestSeparate(t *testing.T) {
	at := func(s int) time.Time { return time.Unix(int64(s), 0).UTC() }
	sp := func(a, b int) vms.Span { return vms.Span{Start: at(a), End: at(b)} }
	tests := []struct {
		name     string
		in, want []vms.Span
	}{
		{"none", nil, nil},
		{"one", []vms.Span{sp(0, 10)}, []vms.Span{sp(0, 10)}},
		{"touching stay two", []vms.Span{sp(0, 10), sp(10, 20)}, []vms.Span{sp(0, 10), sp(10, 20)}},
		{"overlap is cut", []vms.Span{sp(0, 10), sp(8, 20)}, []vms.Span{sp(0, 10), sp(10, 20)}},
		{"contained is dropped", []vms.Span{sp(0, 10), sp(2, 5), sp(12, 14)}, []vms.Span{sp(0, 10), sp(12, 14)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := separate(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("span %d: got %s, want %s", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestParsePaths(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []vms.Camera
		pages   int
		wantErr bool
	}{
		{name: "real answer", in: string(mustRead(t, "paths.json")), pages: 1,
			want: []vms.Camera{{ID: "cam1", Name: "cam1", Online: true, Codec: "h264", Width: 320, Height: 240}}},
		{name: "offline, no track", in: `{"pageCount":1,"items":[{"name":"a/b","online":false,"tracks2":[]}]}`, pages: 1,
			want: []vms.Camera{{ID: "a/b", Name: "a/b"}}},
		{name: "old server: ready, tracks", in: `{"pageCount":1,"items":[{"name":"c","ready":true,"tracks":["Opus","H265"]}]}`, pages: 1,
			want: []vms.Camera{{ID: "c", Name: "c", Online: true, Codec: "hevc"}}},
		{name: "audio first, odd props", in: `{"pageCount":2,"items":[{"name":"d","online":true,"tracks2":[{"codec":"Opus","codecProps":{"channelCount":2}},{"codec":"AV1","codecProps":{"width":"x"}}]}]}`, pages: 2,
			want: []vms.Camera{{ID: "d", Name: "d", Online: true, Codec: "av1"}}},
		{name: "negative size ignored", in: `{"pageCount":1,"items":[{"name":"e","tracks2":[{"codec":"H264","codecProps":{"width":-5,"height":10}}]}]}`, pages: 1,
			want: []vms.Camera{{ID: "e", Name: "e", Codec: "h264"}}},
		{name: "empty name", in: `{"pageCount":1,"items":[{"name":""}]}`, wantErr: true},
		{name: "control character", in: `{"pageCount":1,"items":[{"name":"a\u0000b"}]}`, wantErr: true},
		{name: "negative page count", in: `{"pageCount":-1,"items":[]}`, wantErr: true},
		{name: "items not a list", in: `{"pageCount":1,"items":{"name":"x"}}`, wantErr: true},
		{name: "online not a bool", in: `{"pageCount":1,"items":[{"name":"x","online":"yes"}]}`, wantErr: true},
		{name: "error answer", in: string(mustRead(t, "error400.json")), want: []vms.Camera{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, pages, err := parsePaths([]byte(tt.in))
			if tt.wantErr {
				if !errors.Is(err, ErrBadResponse) {
					t.Fatalf("err = %v, want ErrBadResponse", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if pages != tt.pages || len(got) != len(tt.want) {
				t.Fatalf("got %+v pages %d, want %+v pages %d", got, pages, tt.want, tt.pages)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("camera %d: got %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestParseRecordingNames(t *testing.T) {
	names, pages, err := parseRecordingNames(mustRead(t, "recordings.json"))
	if err != nil || pages != 1 || len(names) != 1 || names[0] != "cam1" {
		t.Fatalf("got %v %d %v", names, pages, err)
	}
	for _, bad := range []string{`{"items":[{"name":1}]}`, `{"pageCount":-3}`, `[`, `{"items":[{"name":""}]}`} {
		if _, _, err := parseRecordingNames([]byte(bad)); !errors.Is(err, ErrBadResponse) {
			t.Errorf("%s: err = %v, want ErrBadResponse", bad, err)
		}
	}
}

func TestParseAPIError(t *testing.T) {
	tests := []struct{ in, want string }{
		{string(mustRead(t, "error400.json")), "lstat /srv/rec/nope: no such file or directory"},
		{`<html>\n<b>502</b></html>`, `<html>\n<b>502</b></html>`},
		{"line1\nline2\x00", "line1 line2"},
		{strings.Repeat("x", 300), strings.Repeat("x", 200) + "…"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := parseAPIError([]byte(tt.in)); got != tt.want {
			t.Errorf("parseAPIError(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseAddress(t *testing.T) {
	tests := []struct {
		name, addr        string
		play, api         string
		playAuth, apiAuth Auth
		info              string
		wantErr           bool
	}{
		{name: "plain", addr: "http://nvr:9996?api=http://nvr:9997",
			play: "http://nvr:9996", api: "http://nvr:9997", info: "mediamtx:http://nvr:9996?api=http%3A%2F%2Fnvr%3A9997"},
		{name: "default api", addr: "http://10.1.2.3:9996",
			play: "http://10.1.2.3:9996", api: "http://10.1.2.3:9997"},
		{name: "basic auth for both", addr: "https://op:p%40ss@nvr:9996?api=https://nvr:9997&name=Site+A",
			play: "https://nvr:9996", api: "https://nvr:9997", playAuth: Auth{User: "op", Password: "p@ss"}, apiAuth: Auth{User: "op", Password: "p@ss"},
			info: "mediamtx:https://nvr:9996?api=https%3A%2F%2Fnvr%3A9997&name=Site+A"},
		{name: "bearer", addr: "http://bearer:tok.en@nvr:9996",
			play: "http://nvr:9996", api: "http://nvr:9997", playAuth: Auth{Token: "tok.en"}, apiAuth: Auth{Token: "tok.en"}},
		{name: "credentials in api=", addr: "http://a:bpass@nvr:9996?api=http://c:dpass@nvr:9997", wantErr: true},
		{name: "ipv6", addr: "http://[::1]:9996",
			play: "http://[::1]:9996", api: "http://[::1]:9997"},
		{name: "unknown parameter", addr: "http://nvr:9996?apii=x", wantErr: true},
		{name: "bad timeout", addr: "http://nvr:9996?timeout=soon", wantErr: true},
		{name: "rtsp scheme", addr: "rtsp://nvr:8554", wantErr: true},
		{name: "no host", addr: "http:///x", wantErr: true},
		{name: "bad api", addr: "http://nvr:9996?api=ftp://x", wantErr: true},
		{name: "garbage", addr: "%zz", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ParseAddress(tt.addr)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseAddress(%q) = %+v, want an error", tt.addr, cfg)
				}
				if strings.Contains(err.Error(), "p@ss") || strings.Contains(err.Error(), "bpass") || strings.Contains(err.Error(), "dpass") {
					t.Errorf("error reveals a password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Playback != tt.play || cfg.API != tt.api || cfg.PlaybackAuth != tt.playAuth || cfg.APIAuth != tt.apiAuth {
				t.Errorf("got %+v", cfg)
			}
			src, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			info := src.Info()
			if tt.info != "" && info.Address != tt.info {
				t.Errorf("Info().Address = %q, want %q", info.Address, tt.info)
			}
			for _, secret := range []string{tt.playAuth.Password, tt.playAuth.Token, tt.apiAuth.Password} {
				if secret != "" && (strings.Contains(info.Address, secret) || strings.Contains(info.Name, secret)) {
					t.Errorf("Info %+v reveals %q", info, secret)
				}
			}
		})
	}
}

func FuzzParseList(f *testing.F) {
	f.Add(mustRead(f, "list.json"))
	f.Add([]byte(`[{"start":"2026-01-01T00:00:00Z","duration":-1}]`))
	f.Add([]byte(`[{"start":"2026-01-01T00:00:00.123456789+14:00","duration":1e-9},{"start":"0001-01-01T00:00:00Z","duration":315360000}]`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		spans, err := parseList(data)
		if err != nil {
			if !errors.Is(err, ErrBadResponse) {
				t.Fatalf("error not wrapping ErrBadResponse: %v", err)
			}
			return
		}
		for i, s := range spans {
			if !s.Valid() || i > 0 && s.Start.Before(spans[i-1].Start) {
				t.Fatalf("bad spans %v", spans)
			}
		}
		sep := separate(spans)
		for i := 1; i < len(sep); i++ {
			if sep[i].Start.Before(sep[i-1].End) {
				t.Fatalf("separate left an overlap: %v", sep)
			}
		}
	})
}

func FuzzParsePaths(f *testing.F) {
	f.Add(mustRead(f, "paths.json"))
	f.Add([]byte(`{"pageCount":2,"items":[{"name":"x","tracks2":[{"codec":"H264","codecProps":null}],"tracks":[1]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cams, pages, err := parsePaths(data)
		if err != nil {
			if !errors.Is(err, ErrBadResponse) {
				t.Fatalf("error not wrapping ErrBadResponse: %v", err)
			}
			return
		}
		if pages < 0 {
			t.Fatalf("negative page count %d", pages)
		}
		for _, c := range cams {
			if c.ID == "" || c.Width < 0 || c.Height < 0 {
				t.Fatalf("bad camera %+v", c)
			}
		}
	})
}

func FuzzParseRecordings(f *testing.F) {
	f.Add(mustRead(f, "recordings.json"))
	f.Add([]byte(`{"pageCount":1,"items":[{"name":"a","segments":[{"start":"x"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		names, _, err := parseRecordingNames(data)
		if err != nil {
			if !errors.Is(err, ErrBadResponse) {
				t.Fatalf("error not wrapping ErrBadResponse: %v", err)
			}
			return
		}
		for _, n := range names {
			if n == "" {
				t.Fatal("empty name accepted")
			}
		}
	})
}

func FuzzParseAddress(f *testing.F) {
	f.Add("http://op:secret@nvr:9996?api=http://nvr:9997&name=Site&timeout=10s")
	f.Add("https://bearer:tok@[::1]:9996/prefix")
	f.Add("http://nvr?api=http://u:p@x:1")
	f.Fuzz(func(t *testing.T, addr string) {
		cfg, err := ParseAddress(addr)
		if err != nil {
			return
		}
		src, err := New(cfg)
		if err != nil {
			return
		}
		in := src.Info()
		for _, s := range []string{cfg.PlaybackAuth.Password, cfg.PlaybackAuth.Token, cfg.APIAuth.Password, cfg.APIAuth.Token} {
			if len(s) >= 4 && strings.Contains(in.Address, s) && !strings.Contains(addr, "name=") {
				t.Fatalf("Info().Address %q reveals %q", in.Address, s)
			}
		}
	})
}
