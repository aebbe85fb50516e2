package feed

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/brief-reader/brief/internal/feedtest"
)

func TestDiscover(t *testing.T) {
	srv := feedtest.New(t)
	base := srv.URL("")
	srv.Set("/blog/rss.xml", feedtest.RSS("The Blog", base, feedtest.Generate(base, 1, 3)), "")
	srv.Set("/blog/comments.atom", []byte(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Comments</title></feed>`), "application/atom+xml")
	srv.Set("/index.xml", feedtest.RSS("Site", base, feedtest.Generate(base, 2, 2)), "")
	srv.Set("/blog/", []byte(`<!DOCTYPE html><html><head><title>Blog</title>
<link rel="alternate" type="application/rss+xml" title="The Blog" href="rss.xml">
<link rel="Alternate  feed" type="application/atom+xml; charset=utf-8" href="/blog/comments.atom">
<link rel="alternate" type="text/html" href="/other">
<link rel="stylesheet" href="/s.css">
</head><body><p>hello</p></body></html>`), "text/html; charset=utf-8")
	srv.Set("/about", []byte(`<!DOCTYPE html><html><head><title>About</title></head><body>no feed links</body></html>`), "text/html")
	srv.Set("/bare/page", []byte(`<!DOCTYPE html><html><head><title>Bare</title></head><body>x</body></html>`), "text/html")
	c := newTestClient(t, Options{})
	ctx := context.Background()

	t.Run("a feed URL is its own candidate, already parsed", func(t *testing.T) {
		got, err := c.Discover(ctx, srv.URL("/blog/rss.xml"))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].URL != srv.URL("/blog/rss.xml") || got[0].Feed == nil || len(got[0].Feed.Items) != 3 || got[0].Title != "The Blog" {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("a page lists its alternate feeds in order with titles", func(t *testing.T) {
		got, err := c.Discover(ctx, srv.URL("/blog/"))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].URL != srv.URL("/blog/rss.xml") || got[0].Title != "The Blog" ||
			got[1].URL != srv.URL("/blog/comments.atom") || got[1].Title != "" || got[0].Feed != nil {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("a page without links is probed at the usual paths", func(t *testing.T) {
		before := srv.Stats("/feed").Requests
		got, err := c.Discover(ctx, srv.URL("/about"))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].URL != srv.URL("/index.xml") || got[0].Feed == nil || got[0].Title != "Site" {
			t.Errorf("got %+v", got)
		}
		if srv.Stats("/feed").Requests != before+1 || srv.Stats("/feed.json").Requests != 0 {
			t.Errorf("probes: /feed %d, /feed.json %d; want /feed tried, nothing after the hit", srv.Stats("/feed").Requests, srv.Stats("/feed.json").Requests)
		}
	})
	t.Run("the page's folder is probed before the root", func(t *testing.T) {
		srv.Set("/bare/feed", feedtest.RSS("Bare feed", base, feedtest.Generate(base, 3, 1)), "")
		got, err := c.Discover(ctx, srv.URL("/bare/page"))
		if err != nil || len(got) != 1 || got[0].URL != srv.URL("/bare/feed") {
			t.Errorf("got %+v, %v", got, err)
		}
	})
	t.Run("no feed anywhere", func(t *testing.T) {
		srv.Handle("/index.xml", feedtest.Status(404))
		_, err := c.Discover(ctx, srv.URL("/about"))
		var nf *NotFeedError
		if !errors.As(err, &nf) || !strings.Contains(err.Error(), "names no feed") || !strings.Contains(err.Error(), "/rss.xml") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("errors of the page itself", func(t *testing.T) {
		if _, err := c.Discover(ctx, srv.URL("/missing")); err == nil || !strings.Contains(err.Error(), "404") {
			t.Errorf("404: got %v", err)
		}
		if _, err := c.Discover(ctx, "javascript:alert(1)"); !errors.Is(err, ErrUnsafeURL) {
			t.Errorf("javascript: got %v", err)
		}
		if _, err := c.Discover(ctx, "file:///etc/passwd"); !errors.Is(err, ErrUnsafeURL) {
			t.Errorf("file: got %v", err)
		}
	})
	t.Run("a URL without a scheme is tried as https", func(t *testing.T) {
		_, err := c.Discover(ctx, strings.TrimPrefix(srv.URL("/blog/"), "http://"))
		if err == nil || !strings.Contains(err.Error(), "TLS") {
			t.Errorf("got %v, want a failure talking https to the plain-http test server", err)
		}
	})
}

func TestProbeURLs(t *testing.T) {
	got := probeURLs("https://example.org/blog/post.html?x=1")
	if got[0] != "https://example.org/blog/feed" || got[len(feedPaths)] != "https://example.org/feed" || len(got) != 2*len(feedPaths) {
		t.Errorf("got %v", got)
	}
	if got := probeURLs("https://example.org/"); len(got) != len(feedPaths) {
		t.Errorf("root: got %v", got)
	}
}
