package feed

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults for the zero fields of Options.
const (
	DefaultTimeout      = 20 * time.Second
	DefaultUserAgent    = "brief/dev"
	DefaultMaxBodySize  = 16 << 20
	DefaultMaxRedirects = 5
	DefaultConcurrency  = 8
	DefaultPerHost      = 2

	DefaultProcessTimeout = 60 * time.Second
)

// Stage limits inside the total Options.Timeout.
const (
	dialTimeout         = 10 * time.Second
	tlsHandshakeTimeout = 10 * time.Second
	maxHeaderBytes      = 256 << 10
)

// Accept headers: feeds first, but take anything (Parse recognises an HTML
// page and names its alternate feeds); reader mode asks for HTML.
const (
	acceptFeed = "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, " +
		"application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.5, */*;q=0.1"
	acceptPage = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
)

// Options configures a Client. A zero field takes its default.
type Options struct {
	Timeout      time.Duration // whole request incl. body, default 20s
	UserAgent    string        // default "brief/dev"
	MaxBodySize  int64         // after decompression, default 16 MiB
	MaxRedirects int           // default 5
	Concurrency  int           // simultaneous downloads in total, default 8
	PerHost      int           // simultaneous downloads per host (host:port), default 2
	// ProcessTimeout bounds the parsing and conversion of one feed once
	// downloaded, default 60s: a feed that takes longer is abandoned with
	// ErrProcessTimeout and the refresh goes on.
	ProcessTimeout time.Duration
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.MaxBodySize <= 0 {
		o.MaxBodySize = DefaultMaxBodySize
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.PerHost <= 0 {
		o.PerHost = DefaultPerHost
	}
	if o.ProcessTimeout <= 0 {
		o.ProcessTimeout = DefaultProcessTimeout
	}
	return o
}

// Client downloads feeds and web pages through one reused *http.Client with
// timeouts, a body cap and a redirect cap. It is safe for concurrent use.
type Client struct {
	opts      Options
	transport *http.Transport
	http      *http.Client

	afterDownload func() // tests: called once a feed is downloaded, before it is parsed
}

// NewClient returns a Client for opts (zero fields take the defaults).
func NewClient(opts Options) *Client {
	opts = opts.withDefaults()
	dialer := &net.Dialer{Timeout: min(dialTimeout, opts.Timeout), KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    min(tlsHandshakeTimeout, opts.Timeout),
		ResponseHeaderTimeout:  opts.Timeout,
		ExpectContinueTimeout:  time.Second,
		MaxIdleConns:           max(100, 4*opts.Concurrency),
		MaxIdleConnsPerHost:    max(2, opts.PerHost),
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: maxHeaderBytes,
		// Compression stays on: the Transport asks for gzip and
		// decompresses; the body cap applies to the decompressed bytes.
	}
	c := &Client{opts: opts, transport: tr}
	c.http = &http.Client{Transport: tr, CheckRedirect: c.checkRedirect}
	return c
}

// Options returns the options in effect, defaults filled in.
func (c *Client) Options() Options { return c.opts }

// Fetch downloads one feed: a conditional GET with the Request's validators,
// then Parse on the body. A 304 gives NotModified with the validators kept
// (or replaced by new ones the 304 carries) and no parse; a 304 to a request
// without validators is an *HTTPError. On success the response's validators are returned; on failure the
// Request's validators are returned unchanged, Err wraps a typed error of
// errors.go (or is Parse's own error), and RetryAfter is set for 429/503.
func (c *Client) Fetch(ctx context.Context, req Request) (res Result) {
	start := time.Now()
	res = Result{URL: req.URL, ETag: req.ETag, LastModified: req.LastModified}
	defer func() { res.Elapsed = time.Since(start) }()

	u, err := CheckURL(req.URL)
	if err != nil {
		res.Err = err
		return res
	}
	cond := req.Header.Clone()
	if cond == nil {
		cond = http.Header{}
	}
	if req.ETag != "" {
		cond.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		cond.Set("If-Modified-Since", req.LastModified)
	}
	resp, err := c.get(ctx, u, acceptFeed, cond, nil)
	if err != nil {
		res.Err = err
		var he *HTTPError
		if errors.As(err, &he) {
			res.RetryAfter = he.RetryAfter
		}
		return res
	}
	if resp.status == http.StatusNotModified {
		if len(cond) == 0 { // a 304 we did not ask for: nothing to keep
			res.Err = &HTTPError{Status: resp.status}
			return res
		}
		res.NotModified = true
		if v := resp.header.Get("ETag"); v != "" {
			res.ETag = v
		}
		if v := resp.header.Get("Last-Modified"); v != "" {
			res.LastModified = v
		}
		return res
	}
	if c.afterDownload != nil {
		c.afterDownload()
	}
	f, err := c.parseWithin(ctx, resp.body, resp.header.Get("Content-Type"), resp.url)
	if err != nil {
		res.Err = err // already "feed: …" and typed (e.g. an HTML page naming its feeds)
		return res
	}
	res.Feed = f
	res.ETag = resp.header.Get("ETag")
	res.LastModified = resp.header.Get("Last-Modified")
	return res
}

// parseSafely is Parse that turns a panic on hostile input into this feed's
// error, so one feed can never bring down a whole refresh.
func parseSafely(body []byte, contentType, feedURL string) (f *Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = panicError("parser", r)
		}
	}()
	return Parse(body, contentType, feedURL)
}

// panicError describes a recovered panic, wrapping it when it is an error.
func panicError(what string, r any) error {
	if e, ok := r.(error); ok {
		return fmt.Errorf("feed: %s crashed on this input: %w", what, e)
	}
	return fmt.Errorf("feed: %s crashed on this input: %v", what, r)
}

// response is what get hands back: status, headers, final URL and the
// capped body (nil for 304).
type response struct {
	status int
	header http.Header
	url    string
	body   []byte
}

// get performs one GET within Options.Timeout (body included) and returns
// a 2xx or 304 response with its body read through the cap; any other status
// is an *HTTPError, any transport failure a *NetError. check, when not nil,
// may refuse a 2xx response from its headers before the body is read.
func (c *Client) get(ctx context.Context, rawURL, accept string, extra http.Header, check func(http.Header) error) (response, error) {
	reqCtx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(reqCtx, http.MethodGet, rawURL, nil)
	if err != nil {
		return response{}, netErr(ErrNetwork, err, "feed: cannot build a request for this URL: %v", err)
	}
	for k, v := range extra {
		req.Header[k] = v
	}
	if req.Header.Get("User-Agent") == "" { // a feed's own User-Agent wins
		req.Header.Set("User-Agent", c.opts.UserAgent)
	}
	req.Header.Set("Accept", accept)

	resp, err := c.http.Do(req)
	if err != nil {
		return response{}, classifyNetError(ctx, reqCtx, err, c.opts.Timeout, failedHost(err, req.URL.Host), false)
	}
	defer closeBody(resp.Body)
	r := response{status: resp.StatusCode, header: resp.Header, url: resp.Request.URL.String()}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return r, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return r, statusError(resp.StatusCode, resp.Header, time.Now())
	}
	if check != nil {
		if err := check(resp.Header); err != nil {
			return r, err
		}
	}
	decoded, err := decodeBody(resp.Header, resp.Body)
	if err != nil {
		return r, err
	}
	length := resp.ContentLength
	if decoded != io.Reader(resp.Body) {
		length = -1 // the length of the compressed bytes
	}
	r.body, err = readCapped(decoded, length, c.opts.MaxBodySize)
	if err != nil {
		return r, classifyNetError(ctx, reqCtx, err, c.opts.Timeout, resp.Request.URL.Host, true)
	}
	return r, nil
}

// checkRedirect refuses non-http(s) targets, loops and chains longer than
// Options.MaxRedirects.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if s := req.URL.Scheme; s != "http" && s != "https" {
		return netErr(ErrBadRedirect, nil, "feed: refusing redirect to a %s: URL (only http and https are followed)", s)
	}
	target := req.URL.String()
	for i, v := range via {
		if v.URL.String() == target {
			chain := make([]string, 0, len(via)-i+1)
			for _, w := range via[i:] {
				chain = append(chain, w.URL.String())
			}
			chain = append(chain, target)
			return netErr(ErrRedirectLoop, nil, "feed: redirect loop: %s", strings.Join(chain, " → "))
		}
	}
	if len(via) > c.opts.MaxRedirects {
		return netErr(ErrTooManyRedirects, nil, "feed: too many redirects (more than %d)", c.opts.MaxRedirects)
	}
	return nil
}

// readCapped reads at most limit bytes; a longer body (known from
// Content-Length up front, or found while reading) is ErrTooLarge, so memory
// stays bounded even for a gzip bomb.
func readCapped(r io.Reader, contentLength, limit int64) ([]byte, error) {
	if contentLength > limit {
		return nil, tooLarge(limit)
	}
	var buf bytes.Buffer
	if contentLength > 0 {
		buf.Grow(int(contentLength) + bytes.MinRead)
	}
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if n > limit {
		return nil, tooLarge(limit)
	}
	return buf.Bytes(), nil
}

func tooLarge(limit int64) error {
	return netErr(ErrTooLarge, nil, "feed: response larger than %s", formatSize(limit))
}

// failedHost names the server of a failed request: the URL in the
// *url.Error (which may be a redirect target), else fallback.
func failedHost(err error, fallback string) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil && u.Host != "" {
			return u.Host
		}
	}
	return fallback
}

// closeBody closes a response body. Its error is of no interest: the
// response was already handled, and a connection whose body was not read to
// the end is simply not reused by the Transport (no draining, which could
// block on a slow server).
func closeBody(body io.ReadCloser) {
	_ = body.Close()
}
