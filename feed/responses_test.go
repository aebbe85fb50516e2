package feed

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
)

// These tests cover what servers answer: statuses, Retry-After, redirect
// chains, compressed bodies and bodies that are not feeds.

func TestFetchRedirectChainWithinCap(t *testing.T) {
	srv := redirectChain(t, 5)
	res := newTestClient(t, Options{}).Fetch(context.Background(), Request{URL: srv.URL("/r0")})
	if res.Err != nil || res.Feed == nil {
		t.Fatalf("5 redirects: got %v, want the feed", res.Err)
	}
}

func TestFetchHTTPStatuses(t *testing.T) {
	tests := []struct {
		status int
		want   string
	}{
		{404, "feed: not found (HTTP 404)"},
		{410, "feed: gone (HTTP 410): the feed was removed; delete it from your config"},
		{401, "feed: login required (HTTP 401)"},
		{403, "feed: access denied (HTTP 403)"},
		{400, "feed: request refused (HTTP 400)"},
		{500, "feed: server error (HTTP 500)"},
		{502, "feed: server error (HTTP 502)"},
		{504, "feed: server error (HTTP 504)"},
	}
	srv := feedtest.New(t)
	c := newTestClient(t, Options{})
	for _, tt := range tests {
		path := fmt.Sprintf("/status/%d", tt.status)
		srv.Handle(path, feedtest.Status(tt.status))
		res := c.Fetch(context.Background(), Request{URL: srv.URL(path)})
		var he *HTTPError
		if !errors.As(res.Err, &he) || he.Status != tt.status {
			t.Errorf("HTTP %d: got %v, want an *HTTPError with that status", tt.status, res.Err)
			continue
		}
		if got := res.Err.Error(); got != tt.want {
			t.Errorf("HTTP %d: got %q, want %q", tt.status, got, tt.want)
		}
		if !res.RetryAfter.IsZero() {
			t.Errorf("HTTP %d: got RetryAfter %v, want zero", tt.status, res.RetryAfter)
		}
	}
}

func TestFetchRetryAfter(t *testing.T) {
	date := time.Now().Add(3 * time.Hour).UTC().Truncate(time.Second)
	tests := []struct {
		name    string
		status  int
		header  []string
		want    time.Time // zero: about now + wantIn
		wantIn  time.Duration
		wantMsg string
	}{
		{"429 seconds", 429, []string{"Retry-After", "120"}, time.Time{}, 2 * time.Minute, "feed: too many requests (HTTP 429): not trying again before "},
		{"429 date", 429, []string{"Retry-After", date.Format(http.TimeFormat)}, date, 0, "feed: too many requests (HTTP 429): not trying again before "},
		{"429 without header", 429, nil, time.Time{}, time.Hour, "feed: too many requests (HTTP 429): not trying again before "},
		{"503 seconds", 503, []string{"Retry-After", "600"}, time.Time{}, 10 * time.Minute, "feed: service unavailable (HTTP 503): not trying again before "},
		{"503 date", 503, []string{"Retry-After", date.Format(http.TimeFormat)}, date, 0, "feed: service unavailable (HTTP 503): not trying again before "},
		{"503 without header", 503, nil, time.Time{}, 10 * time.Minute, "feed: service unavailable (HTTP 503): not trying again before "},
	}
	srv := feedtest.New(t)
	c := newTestClient(t, Options{})
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := fmt.Sprintf("/limited/%d", i)
			srv.Handle(path, feedtest.Status(tt.status, tt.header...))
			before := time.Now()
			res := c.Fetch(context.Background(), Request{URL: srv.URL(path)})
			var he *HTTPError
			if !errors.As(res.Err, &he) || he.Status != tt.status {
				t.Fatalf("got %v, want an *HTTPError %d", res.Err, tt.status)
			}
			if !he.RetryAfter.Equal(res.RetryAfter) {
				t.Errorf("HTTPError.RetryAfter %v != Result.RetryAfter %v", he.RetryAfter, res.RetryAfter)
			}
			if tt.want.IsZero() {
				lo, hi := before.Add(tt.wantIn), time.Now().Add(tt.wantIn)
				if res.RetryAfter.Before(lo.Add(-time.Second)) || res.RetryAfter.After(hi.Add(time.Second)) {
					t.Errorf("RetryAfter: got %v, want about now+%v", res.RetryAfter, tt.wantIn)
				}
			} else if !res.RetryAfter.Equal(tt.want) {
				t.Errorf("RetryAfter: got %v, want %v", res.RetryAfter, tt.want)
			}
			want := tt.wantMsg + res.RetryAfter.Local().Format("2006-01-02 15:04:05 MST")
			if got := res.Err.Error(); got != want {
				t.Errorf("message: got %q, want %q", got, want)
			}
		})
	}
}

func TestFetchGzipBomb(t *testing.T) {
	srv := feedtest.New(t)
	srv.Handle("/bomb.xml", feedtest.GzipBomb(1<<30, "application/rss+xml"))
	c := newTestClient(t, Options{Timeout: 20 * time.Second})

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	res := c.Fetch(context.Background(), Request{URL: srv.URL("/bomb.xml")})
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)

	if !errors.Is(res.Err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", res.Err)
	}
	if got, want := res.Err.Error(), "feed: response larger than 16 MiB"; got != want {
		t.Errorf("message: got %q, want %q", got, want)
	}
	if elapsed > loadProofTimeout { // not a speed bound: without the cap it would read 1 GiB
		t.Errorf("took %v, want the bomb aborted at the cap", elapsed)
	}
	// Reading the whole 1 GiB would allocate well over 1 GiB; the cap keeps
	// it to a few copies of 16 MiB (buffer growth, server and client both).
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 160<<20 {
		t.Errorf("allocated %d MiB, want the memory bounded by the 16 MiB cap", alloc>>20)
	}
	t.Logf("gzip bomb aborted after %v, %d MiB allocated", elapsed, (after.TotalAlloc-before.TotalAlloc)>>20)
}

func TestFetchNotAFeed(t *testing.T) {
	srv := feedtest.New(t)
	srv.Set("/garbage", []byte("this is not a feed, just some text\n"), "text/plain")
	res := newTestClient(t, Options{}).Fetch(context.Background(), Request{URL: srv.URL("/garbage")})
	if res.Err == nil || res.Feed != nil {
		t.Fatalf("got Err=%v Feed=%v, want a parse error", res.Err, res.Feed)
	}
	if !strings.HasPrefix(res.Err.Error(), "feed: ") {
		t.Errorf("message: got %q, want the feed: prefix", res.Err)
	}
}

func TestFetchHTMLPageNamesItsFeeds(t *testing.T) {
	srv := feedtest.New(t)
	page := `<!doctype html><html><head><title>Example News</title>
<link rel="alternate" type="application/rss+xml" title="All news" href="/rss/all.xml">
<link rel="alternate" type="application/atom+xml" title="World" href="` + srv.URL("/atom/world") + `">
</head><body><h1>Example News</h1><p>Welcome.</p></body></html>`
	srv.Set("/", []byte(page), "text/html; charset=utf-8")
	res := newTestClient(t, Options{}).Fetch(context.Background(), Request{URL: srv.URL("/")})
	if res.Err == nil || res.Feed != nil {
		t.Fatalf("got Err=%v Feed=%v, want an error naming the feeds", res.Err, res.Feed)
	}
	want := []string{srv.URL("/rss/all.xml"), srv.URL("/atom/world")}
	var nf *NotFeedError
	if !errors.As(res.Err, &nf) || fmt.Sprint(nf.Alternates) != fmt.Sprint(want) {
		t.Errorf("got %#v, want a *NotFeedError with Alternates %q", res.Err, want)
	}
	for _, u := range want {
		if !strings.Contains(res.Err.Error(), u) {
			t.Errorf("message %q: want it to name %s", res.Err, u)
		}
	}
	if !strings.HasPrefix(res.Err.Error(), "feed: ") {
		t.Errorf("message: got %q, want the feed: prefix", res.Err)
	}
}

// redirectChain serves /r0 → /r1 → … → /r<n> and a feed at /r<n>.
func redirectChain(t *testing.T, n int) *feedtest.Server {
	t.Helper()
	srv := feedtest.New(t)
	for i := range n {
		srv.Handle(fmt.Sprintf("/r%d", i), feedtest.Redirect(fmt.Sprintf("/r%d", i+1)))
	}
	serveFeed(t, srv, fmt.Sprintf("/r%d", n), 1)
	return srv
}
