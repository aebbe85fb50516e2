package e2e

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
)

// TestRefreshNamesEveryFault runs "brief refresh" over one good feed and a
// feed for each network fault: every failure is one stderr line naming the
// feed and the problem, the good feed still refreshes, and the summary counts
// them. A second refresh honours Retry-After.
func TestRefreshNamesEveryFault(t *testing.T) {
	srv := feedtest.New(t)
	feedtest.AddNews(srv)
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)

	srv.Handle("/gone.xml", feedtest.Status(http.StatusGone))
	srv.Handle("/broken.xml", feedtest.Status(http.StatusInternalServerError))
	srv.Handle("/busy.xml", feedtest.Status(http.StatusTooManyRequests, "Retry-After", "3600"))
	srv.Handle("/down.xml", feedtest.Status(http.StatusServiceUnavailable, "Retry-After", "120"))
	srv.Handle("/loop-a.xml", feedtest.Redirect("/loop-b.xml"))
	srv.Handle("/loop-b.xml", feedtest.Redirect("/loop-a.xml"))
	srv.Handle("/hang.xml", feedtest.Hang())
	srv.Handle("/drip.xml", feedtest.Drip([]byte(strings.Repeat("x", 100)), "application/rss+xml", time.Second))
	srv.Handle("/bomb.xml", feedtest.GzipBomb(1<<30, "application/rss+xml"))
	srv.Set("/site.html", []byte(`<!doctype html><html><head><title>A site</title>
<link rel="alternate" type="application/rss+xml" href="/world.xml"></head><body>Hello</body></html>`), "text/html; charset=utf-8")
	srv.Set("/empty.xml", nil, "application/rss+xml")

	cases := []struct{ url, want string }{
		{srv.URL("/gone.xml"), "gone (HTTP 410)"},
		{srv.URL("/broken.xml"), "server error (HTTP 500)"},
		{srv.URL("/busy.xml"), "too many requests (HTTP 429): not trying again before"},
		{srv.URL("/down.xml"), "service unavailable (HTTP 503)"},
		{srv.URL("/loop-a.xml"), "redirect loop"},
		{srv.URL("/hang.xml"), "no answer within 2s"},
		{srv.URL("/drip.xml"), "not complete within 2s"},
		{srv.URL("/bomb.xml"), "larger than 16 MiB"},
		{srv.URL("/site.html"), srv.URL("/world.xml")},
		{srv.URL("/empty.xml"), "empty"},
		{"http://" + feedtest.ClosedAddr(t) + "/feed.xml", "connection refused"},
		{"http://brief-e2e.invalid/feed.xml", "no such host"},
		{tlsSrv.URL + "/feed.xml", "TLS certificate problem"},
	}
	urls := []string{srv.URL(feedtest.NewsWorld)}
	for _, c := range cases {
		urls = append(urls, c.url)
	}
	e := newEnv(t, strings.Replace(dotfile(urls...), `timeout = "3s"`, `timeout = "2s"`, 1))

	start := time.Now()
	out, errOut, code := e.run("refresh", "--config", e.config, "--db", e.db)
	if code != 0 {
		t.Fatalf("exit code %d, want 0 (feeds failing is not a refresh failure); stderr:\n%s", code, errOut)
	}
	// Not a speed bound (the machine may be loaded): a hanging feed that
	// was not cut off by its 2s timeout would hold the refresh for ever.
	if d := time.Since(start); d > 2*time.Minute {
		t.Errorf("refresh took %v: a hanging feed held the others up", d)
	}
	want := fmt.Sprintf("%d feeds, 3 new articles, %d failed", len(urls), len(cases))
	if !strings.Contains(out, want) {
		t.Errorf("stdout: got %q, want %q", out, want)
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	for _, c := range cases {
		found := false
		for _, l := range lines {
			if strings.Contains(l, c.url) && strings.Contains(l, c.want) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no stderr line names %s with %q; stderr:\n%s", c.url, c.want, errOut)
		}
	}

	// Retry-After: the busy and down feeds are not asked again, and say so.
	busy, down := srv.Stats("/busy.xml").Requests, srv.Stats("/down.xml").Requests
	out, errOut, _ = e.run("refresh", "--config", e.config, "--db", e.db)
	if srv.Stats("/busy.xml").Requests != busy || srv.Stats("/down.xml").Requests != down {
		t.Errorf("a feed was fetched again before its Retry-After")
	}
	if !strings.Contains(out, "2 skipped") || !strings.Contains(errOut, "skipped, the server asked to wait") {
		t.Errorf("second refresh: stdout %q, stderr %q; want the two waiting feeds named as skipped", out, errOut)
	}
}
