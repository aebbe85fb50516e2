package feed

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"sync"
)

// PageResult is the outcome of fetching one page with FetchPages.
type PageResult struct {
	URL  string
	Page Page
	Err  error
}

// FetchPages fetches the pages at urls in reader mode (FetchPage) with at
// most Options.Concurrency downloads in total and Options.PerHost per server,
// the limits FetchAll keeps for feeds. It returns one PageResult per URL, in
// the order of urls; when ctx ends, pages not yet started fail with ctx's error.
// userAgent, if not "", replaces the client's User-Agent (a feed's own: the
// pages may be on any server, so no other header of the feed is sent).
func (c *Client) FetchPages(ctx context.Context, urls []string, userAgent string) []PageResult {
	out := make([]PageResult, len(urls))
	total := make(chan struct{}, c.opts.Concurrency)
	hosts := map[string]chan struct{}{}
	for _, u := range urls {
		if k := hostKey(u); hosts[k] == nil {
			hosts[k] = make(chan struct{}, c.opts.PerHost)
		}
	}
	acquire := func(sem chan struct{}) bool {
		select {
		case sem <- struct{}{}:
			return true
		case <-ctx.Done():
			return false
		}
	}
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i].URL = u
			host := hosts[hostKey(u)]
			if !acquire(host) {
				out[i].Err = fmt.Errorf("feed: page %s not fetched: %w", quoteURL(u), ctx.Err())
				return
			}
			defer func() { <-host }()
			if !acquire(total) {
				out[i].Err = fmt.Errorf("feed: page %s not fetched: %w", quoteURL(u), ctx.Err())
				return
			}
			defer func() { <-total }()
			out[i].Page, out[i].Err = c.fetchPage(ctx, u, userAgent)
		}()
	}
	wg.Wait()
	return out
}

// FetchPage downloads the web page at rawURL for reader mode (a "Read also"
// link that is not in the cache) with the same client, limits and timeouts as
// feeds, and extracts its article with ExtractPage. Only http and https URLs are
// fetched (CheckURL); a failed status is an *HTTPError, a network fault a
// *NetError, a PDF or image ErrNotWebPage, and a page without an article is
// ExtractPage's error. Page.URL is the final URL after redirects.
func (c *Client) FetchPage(ctx context.Context, rawURL string) (Page, error) {
	return c.fetchPage(ctx, rawURL, "")
}

// fetchPage is FetchPage with a User-Agent of its own ("": the client's).
func (c *Client) fetchPage(ctx context.Context, rawURL, userAgent string) (Page, error) {
	u, err := CheckURL(rawURL)
	if err != nil {
		return Page{}, err
	}
	var extra http.Header
	if userAgent != "" {
		extra = http.Header{"User-Agent": {userAgent}}
	}
	resp, err := c.get(ctx, u, acceptPage, extra, checkWebPage)
	if err != nil {
		return Page{}, err
	}
	if resp.status == http.StatusNotModified { // never asked for: no validators were sent
		return Page{}, &HTTPError{Status: resp.status}
	}
	p, err := extractSafely(resp.body, resp.header.Get("Content-Type"), resp.url)
	if err != nil {
		return Page{}, err // already "feed: …" and typed
	}
	p.URL = resp.url
	return p, nil
}

// checkWebPage refuses, from its Content-Type and before the body is read,
// a response that cannot hold an article: anything but text, HTML or XML.
// A missing or unreadable Content-Type is left to ExtractPage.
func checkWebPage(h http.Header) error {
	ct := h.Get("Content-Type")
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return nil // unreadable: let ExtractPage sniff the body
	}
	if strings.HasPrefix(mt, "text/") || strings.Contains(mt, "html") || strings.Contains(mt, "xml") {
		return nil
	}
	return netErr(ErrNotWebPage, nil, "feed: not a web page (%s): open it in the browser instead", mt)
}

// extractSafely is ExtractPage that turns a panic on hostile input into an
// error for this page.
func extractSafely(body []byte, contentType, pageURL string) (p Page, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = panicError("reader mode", r)
		}
	}()
	return ExtractPage(body, contentType, pageURL)
}
