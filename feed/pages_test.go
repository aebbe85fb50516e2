package feed

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestFetchPagesPerHost: FetchPages never has more than PerHost downloads
// running on one server, and answers every URL in order.
func TestFetchPagesPerHost(t *testing.T) {
	const perHost, pages = 2, 7
	var mu sync.Mutex
	inflight, most := 0, 0
	arrived := make(chan struct{}, pages)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inflight++
		most = max(most, inflight)
		mu.Unlock()
		arrived <- struct{}{}
		<-release
		mu.Lock()
		inflight--
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, "<html><body><article><h1>Page %s</h1><p>%s</p></article></body></html>", r.URL.Path, strings.Repeat("Words of the article. ", 10))
	}))
	defer srv.Close()
	c := NewClient(Options{Concurrency: 8, PerHost: perHost})
	var urls []string
	for i := range pages {
		urls = append(urls, fmt.Sprintf("%s/p%d", srv.URL, i))
	}
	done := make(chan []PageResult)
	go func() { done <- c.FetchPages(context.Background(), urls, "") }()
	for left := pages; left > 0; { // hold every request until perHost have arrived, then let them go
		n := min(perHost, left)
		for range n {
			<-arrived
		}
		for range n {
			release <- struct{}{}
		}
		left -= n
	}
	res := <-done
	if most > perHost {
		t.Errorf("%d downloads ran at once on one server, want at most %d", most, perHost)
	}
	for i, r := range res {
		if r.Err != nil || r.URL != urls[i] || !strings.Contains(r.Page.Title, fmt.Sprintf("/p%d", i)) {
			t.Errorf("result %d: %+v", i, r)
		}
	}
}
