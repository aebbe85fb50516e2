package store

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
)

// TestRefreshIntervals: a feed with its own refresh interval is fetched by a
// refresh of every feed only once that interval has passed since its last
// fetch; a feed with 0 or without one is fetched every time; a feed asked
// for by id is fetched regardless.
func TestRefreshIntervals(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	srv := feedtest.New(t)
	setRSS(srv, "/hourly.xml", feedtest.Generate(srv.Server.URL, 1, 2))
	setRSS(srv, "/zero.xml", feedtest.Generate(srv.Server.URL, 2, 2))
	setRSS(srv, "/plain.xml", feedtest.Generate(srv.Server.URL, 3, 2))
	ids := syncURLs(t, s, srv.URL("/hourly.xml"), srv.URL("/zero.xml"), srv.URL("/plain.xml"))
	s.SetIntervals(map[string]time.Duration{srv.URL("/hourly.xml"): time.Hour, srv.URL("/zero.xml"): 0})
	now := time.Now()
	s.clock = func() time.Time { return now }
	client := newClient()

	counts := func() [3]int {
		return [3]int{srv.Stats("/hourly.xml").Requests, srv.Stats("/zero.xml").Requests, srv.Stats("/plain.xml").Requests}
	}
	steps := []struct {
		name            string
		advance         time.Duration
		want            [3]int
		skipped, notDue int
	}{
		{"first refresh: never fetched, so due", 0, [3]int{1, 1, 1}, 0, 0},
		{"a minute later: the hourly feed is not due", time.Minute, [3]int{1, 2, 2}, 1, 1},
		{"59 minutes after its fetch: still not due", 58 * time.Minute, [3]int{1, 3, 3}, 1, 1},
		{"an hour after its fetch: due", time.Minute, [3]int{2, 4, 4}, 0, 0},
	}
	for _, st := range steps {
		now = now.Add(st.advance)
		sum := refresh(t, s, client)
		if got := counts(); got != st.want {
			t.Errorf("%s: requests (hourly, zero, plain) = %v, want %v", st.name, got, st.want)
		}
		if sum.Skipped != st.skipped || sum.NotDue != st.notDue || sum.Feeds != 3 || sum.Failed != 0 {
			t.Errorf("%s: summary %+v, want %d skipped, %d not due", st.name, sum, st.skipped, st.notDue)
		}
	}

	// Asked for by id (the reader's refresh of one feed): fetched although not due.
	now = now.Add(time.Minute)
	if _, err := s.Refresh(ctx, client, ids[:1], nil); err != nil {
		t.Fatal(err)
	}
	if got := srv.Stats("/hourly.xml").Requests; got != 3 {
		t.Errorf("refresh by id: hourly feed requested %d times, want 3", got)
	}
}

// TestRefreshIntervalAfterFailure: a failed fetch counts as a fetch, so a
// failing feed with its own interval is not retried before it.
func TestRefreshIntervalAfterFailure(t *testing.T) {
	s := openTest(t)
	srv := feedtest.New(t)
	srv.Handle("/broken.xml", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "down", http.StatusInternalServerError) })
	syncURLs(t, s, srv.URL("/broken.xml"))
	s.SetIntervals(map[string]time.Duration{srv.URL("/broken.xml"): 6 * time.Hour})
	now := time.Now()
	s.clock = func() time.Time { return now }
	client := newClient()
	first := refresh(t, s, client)
	now = now.Add(time.Hour)
	second := refresh(t, s, client)
	if got := srv.Stats("/broken.xml").Requests; got != 1 || first.Failed != 1 || second.NotDue != 1 {
		t.Errorf("requests %d (want 1), first %+v, second %+v", got, first, second)
	}
	now = now.Add(5 * time.Hour)
	refresh(t, s, client)
	if got := srv.Stats("/broken.xml").Requests; got != 2 {
		t.Errorf("after 6h: requests %d, want 2", got)
	}
}
