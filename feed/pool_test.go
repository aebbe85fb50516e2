package feed

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
)

// collect reads every Result until the channel is closed, failing the test
// if that takes longer than limit.
func collect(t *testing.T, ch <-chan Result, limit time.Duration) []Result {
	t.Helper()
	var out []Result
	deadline := time.After(limit)
	for {
		select {
		case r, ok := <-ch:
			if !ok {
				return out
			}
			out = append(out, r)
		case <-deadline:
			t.Fatalf("FetchAll: channel not closed after %v (%d results so far)", limit, len(out))
			return nil
		}
	}
}

// slowFeed answers with body after a pause, so downloads overlap.
func slowFeed(body []byte, pause time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(pause):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(body)
	}
}

func TestFetchAllEmpty(t *testing.T) {
	got := collect(t, newTestClient(t, Options{}).FetchAll(context.Background(), nil), time.Second)
	if len(got) != 0 {
		t.Errorf("got %d results, want 0", len(got))
	}
}

func TestFetchAllOneResultPerRequest(t *testing.T) {
	srv := feedtest.New(t)
	good := serveFeed(t, srv, "/good.xml", 2)
	srv.Handle("/gone.xml", feedtest.Status(http.StatusGone))
	reqs := []Request{
		{URL: good},
		{URL: srv.URL("/gone.xml")},
		{URL: "http://" + feedtest.ClosedAddr(t) + "/x.xml"},
		{URL: "javascript:alert(1)"},
		{URL: good}, // the same feed twice still gets two results
		{URL: srv.URL("/missing.xml")},
	}
	got := collect(t, newTestClient(t, Options{}).FetchAll(context.Background(), reqs), 5*time.Second)
	var gotURLs, wantURLs []string
	for _, r := range got {
		gotURLs = append(gotURLs, r.URL)
	}
	for _, r := range reqs {
		wantURLs = append(wantURLs, r.URL)
	}
	sort.Strings(gotURLs)
	sort.Strings(wantURLs)
	if fmt.Sprint(gotURLs) != fmt.Sprint(wantURLs) {
		t.Fatalf("got results for %q, want one for each of %q", gotURLs, wantURLs)
	}
	ok := 0
	for _, r := range got {
		if r.URL == good {
			if r.Err != nil || r.Feed == nil {
				t.Errorf("%s: got %v, want the feed despite the other failures", r.URL, r.Err)
			}
			ok++
		} else if r.Err == nil {
			t.Errorf("%s: got no error, want one", r.URL)
		}
	}
	if ok != 2 {
		t.Errorf("got %d good results, want 2", ok)
	}
}

func TestFetchAllBoundsConcurrency(t *testing.T) {
	tests := []struct {
		name                        string
		servers, feeds              int
		concurrency, perHost, wantN int // wantN: the most that can run at once
	}{
		{"total is the bound", 4, 6, 3, 2, 3},
		{"per host is the bound", 3, 6, 8, 2, 6},
		{"one per host", 3, 4, 8, 1, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var total feedtest.Gauge
			perServer := make([]*feedtest.Gauge, tt.servers)
			var reqs []Request
			for s := range tt.servers {
				srv := feedtest.New(t)
				perServer[s] = &feedtest.Gauge{}
				body := feedtest.RSS("F", srv.URL(""), feedtest.Generate(srv.URL(""), s, 2))
				h := perServer[s].Wrap(total.Wrap(slowFeed(body, 30*time.Millisecond)))
				for f := range tt.feeds {
					path := fmt.Sprintf("/f%d.xml", f)
					srv.Handle(path, h)
					reqs = append(reqs, Request{URL: srv.URL(path)})
				}
			}
			c := newTestClient(t, Options{Timeout: 5 * time.Second, Concurrency: tt.concurrency, PerHost: tt.perHost})
			got := collect(t, c.FetchAll(context.Background(), reqs), 10*time.Second)
			if len(got) != len(reqs) {
				t.Fatalf("got %d results, want %d", len(got), len(reqs))
			}
			for _, r := range got {
				if r.Err != nil {
					t.Errorf("%s: %v", r.URL, r.Err)
				}
			}
			if m := total.Max(); m > tt.wantN || m < 2 {
				t.Errorf("in flight in total: got at most %d, want 2…%d", m, tt.wantN)
			}
			for s, g := range perServer {
				if m := g.Max(); m > tt.perHost {
					t.Errorf("in flight at server %d: got at most %d, want ≤ %d", s, m, tt.perHost)
				}
			}
			t.Logf("max in flight: total %d", total.Max())
		})
	}
}

func TestFetchAllSilentServerDoesNotDelayOthers(t *testing.T) {
	tests := []struct{ concurrency, perHost int }{{3, 2}, {2, 2}, {8, 2}}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("concurrency %d per host %d", tt.concurrency, tt.perHost), func(t *testing.T) {
			t.Parallel() // each case mostly waits for timeouts
			// The fast feeds must all arrive before the first silent one
			// times out: 2s leaves loopback feeds of 3 items a wide margin.
			const timeout = 2 * time.Second
			hung := feedtest.New(t)
			var silent feedtest.Gauge
			var reqs []Request
			for i := range 4 {
				path := fmt.Sprintf("/hung%d.xml", i)
				hung.Handle(path, silent.Wrap(feedtest.Hang()))
				reqs = append(reqs, Request{URL: hung.URL(path)})
			}
			fast := map[string]bool{}
			for range 3 {
				srv := feedtest.New(t)
				for f := range 4 {
					u := serveFeed(t, srv, fmt.Sprintf("/f%d.xml", f), 3)
					reqs = append(reqs, Request{URL: u})
					fast[u] = true
				}
			}
			c := newTestClient(t, Options{Timeout: timeout, Concurrency: tt.concurrency, PerHost: tt.perHost})
			ch := c.FetchAll(context.Background(), reqs)
			n, timedOut := 0, 0
			for r := range ch {
				n++
				if fast[r.URL] {
					if r.Err != nil {
						t.Errorf("%s: %v", r.URL, r.Err)
					}
					if timedOut > 0 {
						t.Errorf("%s arrived after %d silent feeds timed out, want before the first", r.URL, timedOut)
					}
					continue
				}
				timedOut++
				if !errors.Is(r.Err, ErrTimeout) {
					t.Errorf("%s: got %v, want ErrTimeout", r.URL, r.Err)
				}
			}
			if n != len(reqs) {
				t.Errorf("got %d results, want %d", n, len(reqs))
			}
			// 4 silent feeds, PerHost at a time: two timeout slots, not four
			// (counted at the server rather than timed).
			if m := silent.Max(); m != tt.perHost {
				t.Errorf("silent feeds waited %d at a time, want %d (per host)", m, tt.perHost)
			}
		})
	}
}

func TestFetchAllCancel(t *testing.T) {
	hung := feedtest.New(t)
	var reqs []Request
	for i := range 20 {
		path := fmt.Sprintf("/hung%d.xml", i)
		hung.Handle(path, feedtest.Hang())
		reqs = append(reqs, Request{URL: hung.URL(path)})
	}
	c := newTestClient(t, Options{Timeout: 30 * time.Second, Concurrency: 4, PerHost: 2})
	ctx, cancel := context.WithCancel(context.Background())
	ch := c.FetchAll(ctx, reqs)
	time.AfterFunc(100*time.Millisecond, cancel)
	// Not a speed bound: without the cancel they would wait for the 30s
	// timeout, which collect's deadline catches.
	got := collect(t, ch, 20*time.Second)
	if len(got) != len(reqs) {
		t.Fatalf("got %d results, want %d", len(got), len(reqs))
	}
	for _, r := range got {
		if !errors.Is(r.Err, context.Canceled) {
			t.Errorf("%s: got %v, want context.Canceled", r.URL, r.Err)
		}
	}
}

func TestFetchAllBoundsGoroutines(t *testing.T) {
	hung := feedtest.New(t)
	var reqs []Request
	for i := range 200 {
		path := fmt.Sprintf("/hung%d.xml", i)
		hung.Handle(path, feedtest.Hang())
		reqs = append(reqs, Request{URL: hung.URL(path)})
	}
	base := runtime.NumGoroutine()
	c := newTestClient(t, Options{Timeout: 30 * time.Second, Concurrency: 4, PerHost: 4})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := c.FetchAll(ctx, reqs)
	time.Sleep(100 * time.Millisecond)
	// Scheduler + 4 workers + a few goroutines per connection on both sides.
	if n := runtime.NumGoroutine() - base; n > 40 {
		t.Errorf("%d goroutines for 200 requests at concurrency 4, want a bounded few", n)
	}
	cancel()
	collect(t, ch, 3*time.Second)
}

func TestPickHostPrefersLeastBusy(t *testing.T) {
	qs := []*hostQueue{
		{pending: []Request{{URL: "a"}}, active: 1},
		{pending: []Request{{URL: "b"}}, active: 0},
		{pending: nil, active: 0},
		{pending: []Request{{URL: "d"}}, active: 2},
	}
	if got := pickHost(qs, 0, 2); got != 1 {
		t.Errorf("got %d, want 1 (fewest running)", got)
	}
	qs[1].active = 1
	if got := pickHost(qs, 1, 2); got != 1 {
		t.Errorf("tie from cursor 1: got %d, want 1", got)
	}
	if got := pickHost(qs, 2, 2); got != 0 {
		t.Errorf("tie from cursor 2: got %d, want 0 (round robin)", got)
	}
	qs[0].active, qs[1].active = 2, 2
	if got := pickHost(qs, 0, 2); got != -1 {
		t.Errorf("all at the limit: got %d, want -1", got)
	}
}
