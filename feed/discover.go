package feed

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// Candidate is a feed found by Discover.
type Candidate struct {
	URL   string // the feed's address
	Title string // the link's title on the page, or the feed's own title, or ""
	Feed  *Feed  // the feed, when Discover already downloaded it (a feed URL, a probed path); else nil
}

// bareHost matches a host name or address with an optional port, such as
// "example.org" or "127.0.0.1:8080", but not "javascript:alert(1)".
var bareHost = regexp.MustCompile(`^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]+)?$`)

// feedPaths are the addresses, relative to a site, where feeds usually are.
var feedPaths = []string{"feed", "rss.xml", "atom.xml", "index.xml", "feed.json", "feed.xml", "rss"}

// Discover finds the feeds behind rawURL, which may be a feed or any web
// page (a URL without a scheme is tried as https://). A feed is returned as
// the only candidate, already parsed. A page's <link rel="alternate"> feeds
// (RSS, Atom, JSON Feed) are returned in page order, not yet downloaded. A
// page that names none is probed at the usual paths (/feed, /rss.xml,
// /atom.xml, /index.xml, /feed.json, …, under the page's folder and then the
// site's root) and the first that answers with a feed is returned. Every
// download goes through Fetch: same timeouts, caps and CheckURL.
func (c *Client) Discover(ctx context.Context, rawURL string) ([]Candidate, error) {
	raw := strings.TrimSpace(rawURL)
	if host, _, _ := strings.Cut(raw, "/"); !strings.Contains(raw, "://") && bareHost.MatchString(host) {
		raw = "https://" + raw // "example.org/blog"
	}
	u, err := CheckURL(raw)
	if err != nil {
		return nil, err
	}
	res := c.Fetch(ctx, Request{URL: u})
	if res.Err == nil {
		return []Candidate{{URL: u, Title: res.Feed.Title, Feed: res.Feed}}, nil
	}
	var nf *NotFeedError
	if !errors.As(res.Err, &nf) || !strings.Contains(nf.Reason, "HTML") {
		return nil, res.Err
	}
	if len(nf.Alternates) > 0 {
		out := make([]Candidate, len(nf.Alternates))
		for i, a := range nf.Alternates {
			out[i] = Candidate{URL: a}
			if i < len(nf.Titles) {
				out[i].Title = nf.Titles[i]
			}
		}
		return out, nil
	}
	tried := probeURLs(u)
	for _, p := range tried {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("feed: looking for a feed at %s: %w", u, ctx.Err())
		}
		r := c.Fetch(ctx, Request{URL: p})
		if r.Err == nil && r.Feed != nil {
			return []Candidate{{URL: p, Title: r.Feed.Title, Feed: r.Feed}}, nil
		}
	}
	return nil, &NotFeedError{Reason: fmt.Sprintf("a web page that names no feed, and none was found at %s", strings.Join(shortPaths(tried), ", "))}
}

// probeURLs lists where to look for the feed of a page that names none:
// the usual paths under the page's folder, then under the site's root.
func probeURLs(pageURL string) []string {
	u, err := url.Parse(pageURL)
	if err != nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	dirs := []string{"/"}
	if d := u.Path[:strings.LastIndex(u.Path, "/")+1]; d != "/" && d != "" {
		dirs = []string{d, "/"}
	}
	for _, d := range dirs {
		for _, p := range feedPaths {
			v := url.URL{Scheme: u.Scheme, Host: u.Host, Path: d + p}
			if s := v.String(); !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// shortPaths writes probe URLs by their paths, for a message.
func shortPaths(urls []string) []string {
	out := make([]string, 0, len(urls))
	for _, s := range urls {
		if u, err := url.Parse(s); err == nil {
			out = append(out, u.Path)
		}
	}
	return out
}
