package feed

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestRequestHeaders: a feed's own headers are sent, its User-Agent replaces
// the client's, and the conditional headers still come from the validators.
func TestRequestHeaders(t *testing.T) {
	got := make(chan http.Header, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Clone()
		w.WriteHeader(http.StatusNotModified)
	}))
	defer srv.Close()
	c := NewClient(Options{Timeout: 5 * time.Second, UserAgent: "brief/test"})
	res := c.Fetch(context.Background(), Request{URL: srv.URL, ETag: `"v1"`,
		Header: http.Header{"User-Agent": {"MyReader/1.0"}, "Authorization": {"Bearer x"}}})
	if res.Err != nil || !res.NotModified {
		t.Fatalf("Fetch: %+v", res)
	}
	h := <-got
	if h.Get("User-Agent") != "MyReader/1.0" || h.Get("Authorization") != "Bearer x" || h.Get("If-None-Match") != `"v1"` {
		t.Errorf("headers sent %v", h)
	}
	c.Fetch(context.Background(), Request{URL: srv.URL})
	if h := <-got; h.Get("User-Agent") != "brief/test" || h.Get("Authorization") != "" {
		t.Errorf("without a feed's headers: sent %v", h)
	}
}
