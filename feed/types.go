// Package feed owns everything that comes from the network: the HTTP client
// (timeouts, conditional GET, body cap, bounded concurrency), parsing feeds with
// gofeed, normalising them into brief's own types, sanitising untrusted text,
// turning HTML into Markdown, numbering links and recognising "Read also"
// links, and extracting articles from web pages in reader mode.
package feed

import (
	"net/http"
	"time"
)

// Request is one feed to download, with the validators from the last fetch.
type Request struct {
	URL          string // the feed's address
	ETag         string // the ETag of the last successful fetch, or ""
	LastModified string // the Last-Modified of the last successful fetch, or ""
	// Header holds the feed's own request headers (from the dotfile), or
	// nil; a User-Agent in it replaces the client's.
	Header http.Header
}

// Result is the outcome of fetching one Request.
type Result struct {
	URL          string        // the Request's URL
	NotModified  bool          // the server answered 304: nothing to parse or store
	ETag         string        // validators to send next time (empty: none)
	LastModified string        //
	Feed         *Feed         // nil when NotModified or Err != nil
	Err          error         // nil on success; wraps one of the typed errors in errors.go
	RetryAfter   time.Time     // zero unless the server asked us to wait (429/503 Retry-After)
	Elapsed      time.Duration // time spent on the request and parse
}

// Feed is a parsed and normalised feed.
type Feed struct {
	Title       string   // one line of display text
	SiteURL     string   // the site's absolute http(s) address, or ""
	Description string   // one line of display text, or ""
	Items       []Item   // in feed order; duplicates and unreadable items are left out
	Warnings    []string // problems that did not fail the feed (e.g. an unreadable item skipped)
}

// Item is one normalised, sanitised article of a feed.
type Item struct {
	Key       string    // stable identity within its feed: GUID → link → hash of title and content
	GUID      string    // the feed's own identifier of the item, cleaned, or ""
	URL       string    // absolute http(s) link, or ""
	Title     string    // never empty when the item has any text (falls back to the start of the text)
	Author    string    // author names joined with ", ", or ""
	Published time.Time // published → updated; zero when the feed gave neither (the store uses first seen)
	Updated   time.Time // last update; zero when the feed gave none
	Body      Body      // the converted content

	// KeepStored tells the store to leave an article it already holds
	// under this Key as it is (set for full-text feeds, whose stored body
	// is the article's page rather than the feed's summary).
	KeepStored bool
}

// Body is an article body ready for display: sanitised Markdown in which every
// link is written as "text [N]", the plain text, and the numbered links.
type Body struct {
	Markdown string   // sanitised Markdown; links appear as "text [N]"
	Text     string   // plain text: paragraphs separated by blank lines
	Links    []Link   // the links, Links[i].N == i+1
	Cut      []string // what ConvertHTML's limits dropped (MaxMarkdownSize, MaxLinks), for a feed warning
}

// Link is one link of an article body, numbered in reading order.
type Link struct {
	N        int    // 1-based position in reading order; matches the "[N]" marker in Body.Markdown
	Text     string // the link text (for a title-only "Read also" line: the title)
	URL      string // absolute http(s) URL; "" for a title-only "Read also" link
	ReadAlso bool   // the link is a "Read also" / related-article link
}

// Page is an article extracted from a web page in reader mode.
type Page struct {
	URL       string    // final URL after redirects
	Title     string    // the article's headline
	Author    string    // the byline, or ""
	SiteName  string    // the site's name, or ""
	Published time.Time // zero when the page does not say
	Body      Body      // the article's content
}
