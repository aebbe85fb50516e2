package feed

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
)

// testTimeout keeps fault tests fast: every "never answers" case costs this.
const testTimeout = 300 * time.Millisecond

// loadProofTimeout is the margin of a test that waits for something that
// must happen but may be slow on a loaded machine: it is not a speed bound
// (benchmarks measure speed), only a bound on "never".
const loadProofTimeout = 30 * time.Second

// newTestClient returns a Client with short timeouts that never uses a proxy
// from the environment (tests stay on loopback).
func newTestClient(t testing.TB, opts Options) *Client {
	t.Helper()
	if opts.Timeout == 0 {
		opts.Timeout = testTimeout
	}
	c := NewClient(opts)
	c.transport.Proxy = nil
	t.Cleanup(c.transport.CloseIdleConnections)
	return c
}

// serveFeed serves a small generated RSS feed at path and returns its URL.
func serveFeed(t testing.TB, srv *feedtest.Server, path string, n int) string {
	t.Helper()
	base := srv.URL("")
	srv.Set(path, feedtest.RSS("Feed "+path, base, feedtest.Generate(base, 1, n)), "")
	return srv.URL(path)
}

func TestOptionsDefaults(t *testing.T) {
	got := NewClient(Options{}).Options()
	want := Options{Timeout: 20 * time.Second, UserAgent: "brief/dev", MaxBodySize: 16 << 20,
		MaxRedirects: 5, Concurrency: 8, PerHost: 2, ProcessTimeout: 60 * time.Second}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestFetchSendsHeaders(t *testing.T) {
	srv := feedtest.New(t)
	var (
		mu  sync.Mutex
		got http.Header
	)
	body := feedtest.RSS("T", srv.URL(""), feedtest.Generate(srv.URL(""), 1, 2))
	srv.Handle("/feed", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = r.Header.Clone()
		mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(body)
	})
	c := newTestClient(t, Options{UserAgent: "brief/1.2.3"})
	res := c.Fetch(context.Background(), Request{URL: srv.URL("/feed"), ETag: `"abc"`, LastModified: "Mon, 02 Jan 2006 15:04:05 GMT"})
	if res.Err != nil {
		t.Fatalf("Fetch: %v", res.Err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, h := range []struct{ name, want string }{
		{"User-Agent", "brief/1.2.3"},
		{"If-None-Match", `"abc"`},
		{"If-Modified-Since", "Mon, 02 Jan 2006 15:04:05 GMT"},
		{"Accept-Encoding", "gzip"},
	} {
		if v := got.Get(h.name); v != h.want {
			t.Errorf("%s: got %q, want %q", h.name, v, h.want)
		}
	}
	if a := got.Get("Accept"); !strings.Contains(a, "application/rss+xml") || !strings.Contains(a, "application/atom+xml") {
		t.Errorf("Accept: got %q, want the feed types", a)
	}
}

func TestFetchNoConditionalHeadersWithoutValidators(t *testing.T) {
	srv := feedtest.New(t)
	u := serveFeed(t, srv, "/feed.xml", 2)
	res := newTestClient(t, Options{}).Fetch(context.Background(), Request{URL: u})
	if res.Err != nil {
		t.Fatalf("Fetch: %v", res.Err)
	}
	if st := srv.Stats("/feed.xml"); st.Conditional != 0 {
		t.Errorf("conditional requests: got %d, want 0", st.Conditional)
	}
}

func TestFetchConditionalGET(t *testing.T) {
	srv := feedtest.New(t)
	u := serveFeed(t, srv, "/feed.xml", 3)
	c := newTestClient(t, Options{})
	ctx := context.Background()

	first := c.Fetch(ctx, Request{URL: u})
	if first.Err != nil {
		t.Fatalf("first Fetch: %v", first.Err)
	}
	if first.NotModified || first.Feed == nil || len(first.Feed.Items) != 3 {
		t.Fatalf("first Fetch: got NotModified=%v Feed=%v, want a feed of 3 items", first.NotModified, first.Feed)
	}
	if first.ETag == "" || first.LastModified == "" {
		t.Fatalf("first Fetch: got ETag %q Last-Modified %q, want both", first.ETag, first.LastModified)
	}
	if first.URL != u || first.Elapsed <= 0 {
		t.Errorf("got URL %q Elapsed %v, want %q and > 0", first.URL, first.Elapsed, u)
	}

	for _, req := range []Request{
		{URL: u, ETag: first.ETag, LastModified: first.LastModified},
		{URL: u, ETag: first.ETag},
		{URL: u, LastModified: first.LastModified},
	} {
		res := c.Fetch(ctx, req)
		if res.Err != nil || !res.NotModified || res.Feed != nil {
			t.Fatalf("Fetch(%+v): got Err=%v NotModified=%v Feed=%v, want a 304", req, res.Err, res.NotModified, res.Feed)
		}
		if res.ETag != first.ETag || res.LastModified != first.LastModified {
			t.Errorf("validators: got %q %q, want %q %q", res.ETag, res.LastModified, first.ETag, first.LastModified)
		}
	}
	if st := srv.Stats("/feed.xml"); st.Requests != 4 || st.Conditional != 3 || st.NotModified != 3 {
		t.Errorf("server stats: got %+v, want 4 requests, 3 conditional, 3 not modified", st)
	}
}

func TestFetch304KeepsValidatorsUnlessNewOnes(t *testing.T) {
	srv := feedtest.New(t)
	srv.Handle("/same", feedtest.Status(http.StatusNotModified))
	srv.Handle("/new", feedtest.Status(http.StatusNotModified, "ETag", `"new"`))
	c := newTestClient(t, Options{})
	tests := []struct{ path, wantETag string }{{"/same", `"old"`}, {"/new", `"new"`}}
	for _, tt := range tests {
		res := c.Fetch(context.Background(), Request{URL: srv.URL(tt.path), ETag: `"old"`, LastModified: "Mon, 02 Jan 2006 15:04:05 GMT"})
		if !res.NotModified || res.ETag != tt.wantETag || res.LastModified != "Mon, 02 Jan 2006 15:04:05 GMT" {
			t.Errorf("%s: got NotModified=%v ETag=%q LastModified=%q, want true %q and the old date", tt.path, res.NotModified, res.ETag, res.LastModified, tt.wantETag)
		}
	}
}

func TestFetchErrorKeepsRequestValidators(t *testing.T) {
	srv := feedtest.New(t)
	srv.Handle("/boom", feedtest.Status(http.StatusInternalServerError, "ETag", `"other"`))
	res := newTestClient(t, Options{}).Fetch(context.Background(), Request{URL: srv.URL("/boom"), ETag: `"old"`, LastModified: "x"})
	if res.Err == nil || res.ETag != `"old"` || res.LastModified != "x" {
		t.Errorf("got Err=%v ETag=%q LastModified=%q, want an error and the request's validators", res.Err, res.ETag, res.LastModified)
	}
}

func TestFetchGzipEncodedFeed(t *testing.T) {
	srv := feedtest.New(t)
	body := feedtest.RSS("Zipped", srv.URL(""), feedtest.Generate(srv.URL(""), 1, 5))
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	if _, err := zw.Write(body); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	srv.Handle("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(zipped.Bytes())
	})
	res := newTestClient(t, Options{}).Fetch(context.Background(), Request{URL: srv.URL("/feed.xml")})
	if res.Err != nil || res.Feed == nil || len(res.Feed.Items) != 5 {
		t.Fatalf("got Err=%v Feed=%v, want 5 items", res.Err, res.Feed)
	}
}

func TestFetchFollowsRedirects(t *testing.T) {
	srv := feedtest.New(t)
	u := serveFeed(t, srv, "/new.xml", 2)
	srv.Handle("/old.xml", feedtest.Redirect("/mid.xml"))
	srv.Handle("/mid.xml", feedtest.Redirect(u))
	res := newTestClient(t, Options{}).Fetch(context.Background(), Request{URL: srv.URL("/old.xml")})
	if res.Err != nil || res.Feed == nil {
		t.Fatalf("got %v, want the feed", res.Err)
	}
	if res.URL != srv.URL("/old.xml") {
		t.Errorf("Result.URL: got %q, want the request's URL", res.URL)
	}
}

func TestFetchRefusesUnsafeURLs(t *testing.T) {
	c := newTestClient(t, Options{})
	for _, raw := range []string{
		"javascript:alert(1)",
		"file:///etc/passwd",
		"data:text/html,<script>x</script>",
		"ftp://example.org/feed.xml",
		"http://exa\nmple.org/feed.xml",
		"http://example.org/\x1b[2Jfeed",
		"/relative/feed.xml",
		"",
	} {
		res := c.Fetch(context.Background(), Request{URL: raw})
		if !errors.Is(res.Err, ErrUnsafeURL) {
			t.Errorf("Fetch(%q): got %v, want ErrUnsafeURL", raw, res.Err)
		}
		if res.Err != nil && !strings.HasPrefix(res.Err.Error(), "feed: ") {
			t.Errorf("Fetch(%q): got message %q, want the feed: prefix", raw, res.Err)
		}
	}
}

func TestFetchCanceledContext(t *testing.T) {
	srv := feedtest.New(t)
	u := serveFeed(t, srv, "/feed.xml", 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := newTestClient(t, Options{}).Fetch(ctx, Request{URL: u})
	if !errors.Is(res.Err, context.Canceled) || errors.Is(res.Err, ErrTimeout) {
		t.Errorf("got %v, want context.Canceled and not a timeout", res.Err)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, value string
		want        time.Time
	}{
		{"seconds", "120", now.Add(2 * time.Minute)},
		{"date", "Sun, 01 Mar 2026 14:00:00 GMT", now.Add(2 * time.Hour)},
		{"missing", "", now.Add(time.Hour)},
		{"garbage", "soon", now.Add(time.Hour)},
		{"zero is rounded up", "0", now.Add(time.Minute)},
		{"negative", "-5", now.Add(time.Minute)},
		{"past date", "Sun, 01 Mar 2026 10:00:00 GMT", now.Add(time.Minute)},
		{"huge is capped", "999999999999999", now.Add(7 * 24 * time.Hour)},
		{"far date is capped", "Fri, 01 Jan 2100 00:00:00 GMT", now.Add(7 * 24 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := retryAfter(tt.value, now, time.Hour); !got.Equal(tt.want) {
				t.Errorf("retryAfter(%q): got %v, want %v", tt.value, got, tt.want)
			}
		})
	}
}

func TestHTTPErrorMessages(t *testing.T) {
	t.Setenv("TZ", "UTC")
	at := time.Date(2026, 3, 1, 14, 0, 0, 0, time.UTC)
	tests := []struct {
		err  *HTTPError
		want string
	}{
		{&HTTPError{Status: 404}, "feed: not found (HTTP 404)"},
		{&HTTPError{Status: 410}, "feed: gone (HTTP 410): the feed was removed; delete it from your config"},
		{&HTTPError{Status: 401}, "feed: login required (HTTP 401)"},
		{&HTTPError{Status: 403}, "feed: access denied (HTTP 403)"},
		{&HTTPError{Status: 400}, "feed: request refused (HTTP 400)"},
		{&HTTPError{Status: 500}, "feed: server error (HTTP 500)"},
		{&HTTPError{Status: 502}, "feed: server error (HTTP 502)"},
		{&HTTPError{Status: 300}, "feed: unexpected answer (HTTP 300)"},
		{&HTTPError{Status: 429, RetryAfter: at}, "feed: too many requests (HTTP 429): not trying again before " + at.Local().Format("2006-01-02 15:04:05 MST")},
		{&HTTPError{Status: 503, RetryAfter: at}, "feed: service unavailable (HTTP 503): not trying again before " + at.Local().Format("2006-01-02 15:04:05 MST")},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("status %d: got %q, want %q", tt.err.Status, got, tt.want)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{16 << 20: "16 MiB", 1 << 30: "1 GiB", 4096: "4 KiB", 1000: "1000 bytes", 3<<20 + 1: "3145729 bytes"} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d): got %q, want %q", n, got, want)
		}
	}
}

func TestHostKey(t *testing.T) {
	tests := map[string]string{
		"http://Example.org/feed":        "example.org:80",
		"https://example.org/feed":       "example.org:443",
		"http://example.org:8080/a":      "example.org:8080",
		"http://127.0.0.1:3000/a":        "127.0.0.1:3000",
		"https://[::1]:8443/x":           "[::1]:8443",
		"not a url at all\x7f":           "",
		"mailto:someone@example.org":     "",
		"HTTPS://EXAMPLE.ORG:443/feed?x": "example.org:443",
	}
	for raw, want := range tests {
		if got := hostKey(raw); got != want {
			t.Errorf("hostKey(%q): got %q, want %q", raw, got, want)
		}
	}
}

func TestFetchUnsolicited304IsAnError(t *testing.T) {
	srv := feedtest.New(t)
	srv.Handle("/feed.xml", feedtest.Status(http.StatusNotModified))
	res := newTestClient(t, Options{}).Fetch(context.Background(), Request{URL: srv.URL("/feed.xml")})
	var he *HTTPError
	if res.NotModified || !errors.As(res.Err, &he) || he.Status != http.StatusNotModified {
		t.Fatalf("got NotModified=%v Err=%v, want an *HTTPError 304", res.NotModified, res.Err)
	}
	if got, want := res.Err.Error(), "feed: unexpected answer (HTTP 304)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
