package feed

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
)

// A feed whose processing passes Options.ProcessTimeout is abandoned with
// ErrProcessTimeout; the next feed of the same client is read normally.
func TestFetchAbandonsSlowProcessing(t *testing.T) {
	srv := feedtest.New(t)
	srv.Set("/slow.xml", feedtest.HostileFeed(srv.URL(""), "paragraphs", 2<<20), "")
	ok := serveFeed(t, srv, "/ok.xml", 3)
	c := newTestClient(t, Options{Timeout: 10 * time.Second, ProcessTimeout: time.Millisecond})
	res := c.Fetch(context.Background(), Request{URL: srv.URL("/slow.xml")})
	if !errors.Is(res.Err, ErrProcessTimeout) {
		t.Fatalf("got %v, want ErrProcessTimeout", res.Err)
	}
	c = newTestClient(t, Options{Timeout: 10 * time.Second})
	if res := c.Fetch(context.Background(), Request{URL: ok}); res.Err != nil || len(res.Feed.Items) != 3 {
		t.Fatalf("the next feed: %v", res.Err)
	}
}

// A context that ends while the feed is processed ends Fetch with its cause.
func TestFetchStopsProcessingOnCancel(t *testing.T) {
	srv := feedtest.New(t)
	srv.Set("/slow.xml", feedtest.HostileFeed(srv.URL(""), "paragraphs", 2<<20), "")
	ctx, cancel := context.WithCancelCause(context.Background())
	stop := errors.New("SIGTERM")
	c := newTestClient(t, Options{Timeout: 10 * time.Second})
	c.afterDownload = func() { cancel(stop) }
	res := c.Fetch(ctx, Request{URL: srv.URL("/slow.xml")})
	if !errors.Is(res.Err, stop) {
		t.Fatalf("got %v, want the context's cause", res.Err)
	}
}
