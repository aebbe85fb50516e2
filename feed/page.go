package feed

import (
	"context"
	"mime"
	"net/http"
	"strings"
)

// FetchPage downloads the web page at rawURL for reader mode (a "Read also"
// link that is not in the cache) with the same client, limits and timeouts as
// feeds, and extracts its article with ExtractPage. Only http and https URLs are
// fetched (CheckURL); a failed status is an *HTTPError, a network fault a
// *NetError, a PDF or image ErrNotWebPage, and a page without an article is
// ExtractPage's error. Page.URL is the final URL after redirects.
func (c *Client) FetchPage(ctx context.Context, rawURL string) (Page, error) {
	u, err := CheckURL(rawURL)
	if err != nil {
		return Page{}, err
	}
	resp, err := c.get(ctx, u, acceptPage, nil, checkWebPage)
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
