package main

import (
	"context"
	"fmt"
	"net/http"
	"net/textproto"
	"strings"
	"time"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// reservedHeaders are set by brief itself: a feed may not set them.
var reservedHeaders = map[string]bool{
	"Host": true, "If-None-Match": true, "If-Modified-Since": true, "Accept-Encoding": true,
	"Content-Length": true, "Connection": true,
}

// checkFeedHeaders checks each [[feed]]'s user_agent and headers (names that
// HTTP allows and brief does not set itself, values on one line) and its
// refresh_interval (at least a minute, or 0).
func (c *Config) checkFeedHeaders(data []byte) configErrors {
	var p configErrors
	headers := blockHeaderLines(data, "feed")
	for i, f := range c.Feeds {
		at := func(key, format string, args ...any) {
			line, col := blockValue(data, headers, i, key)
			p = append(p, &configError{path: c.path, line: line, col: col, msg: fmt.Sprintf("feed #%d: ", i+1) + fmt.Sprintf(format, args...)})
		}
		if iv := f.RefreshInterval.Duration; iv > 0 && iv < time.Minute {
			at("refresh_interval", "refresh_interval = %q is too short: use at least \"1m\", or \"0\" for every refresh", iv)
		}
		if strings.ContainsAny(f.UserAgent, "\r\n") {
			at("user_agent", "user_agent must be one line")
		}
		for k, v := range f.Headers {
			switch {
			case k == "" || strings.IndexFunc(k, func(r rune) bool { return r <= ' ' || r >= 0x7f || strings.ContainsRune("()<>@,;:\\\"/[]?={}", r) }) >= 0:
				at("headers", "header name %q is not a valid HTTP header name", k)
			case reservedHeaders[textproto.CanonicalMIMEHeaderKey(k)]:
				at("headers", "header %q is set by brief itself", k)
			case strings.EqualFold(k, "User-Agent"):
				at("headers", "write the User-Agent as user_agent = \"…\"")
			case strings.ContainsAny(v, "\r\n"):
				at("headers", "header %q must be one line", k)
			}
		}
	}
	return p
}

// feedHeaders are the request headers of every feed that has its own, by URL.
func (c Config) feedHeaders() map[string]http.Header {
	out := map[string]http.Header{}
	for _, f := range c.Feeds {
		if f.UserAgent == "" && len(f.Headers) == 0 {
			continue
		}
		h := http.Header{}
		for k, v := range f.Headers {
			h.Set(k, v)
		}
		if f.UserAgent != "" {
			h.Set("User-Agent", f.UserAgent)
		}
		out[strings.TrimSpace(f.URL)] = h
	}
	return out
}

// headerClient is the feed client that sends each feed's own headers (the
// dotfile's user_agent and headers) with its requests, and fetches the pages
// of the new articles of full_text feeds (see fulltext.go).
type headerClient struct {
	*feed.Client
	headers  map[string]http.Header
	fullText map[string]bool // URLs of the full_text feeds
	st       *store.Store    // to tell new articles from stored ones (nil: no full text)
}

// FetchAll fetches reqs with their feeds' headers.
func (c headerClient) FetchAll(ctx context.Context, reqs []feed.Request) <-chan feed.Result {
	if len(c.headers) > 0 {
		reqs = append([]feed.Request(nil), reqs...)
		for i := range reqs {
			if h, ok := c.headers[reqs[i].URL]; ok {
				reqs[i].Header = h
			}
		}
	}
	return c.withFullText(ctx, c.Client.FetchAll(ctx, reqs))
}

// feedIntervals are the refresh intervals of the feeds that have their own, by URL.
func (c Config) feedIntervals() map[string]time.Duration {
	out := map[string]time.Duration{}
	for _, f := range c.Feeds {
		if f.RefreshInterval.Duration > 0 {
			out[strings.TrimSpace(f.URL)] = f.RefreshInterval.Duration
		}
	}
	return out
}
