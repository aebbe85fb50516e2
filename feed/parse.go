package feed

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/atom"
)

// NotFeedError says that a body is not a feed at all, and what it is instead.
// When the body is an HTML page that advertises feeds with
// <link rel="alternate">, Alternates holds their absolute URLs.
type NotFeedError struct {
	Reason     string   // what the body is, e.g. "an HTML page"
	Alternates []string // feed URLs the page points to, in page order
	Titles     []string // beside Alternates: each link's title attribute, or ""
}

// Error says what the body is and, for an HTML page that points to feeds,
// which URL to use instead.
func (e *NotFeedError) Error() string {
	switch len(e.Alternates) {
	case 0:
		return "feed: not a feed (" + e.Reason + ")"
	case 1:
		return "feed: this is an HTML page, not a feed; it points to a feed at " + e.Alternates[0] + " — use that URL"
	}
	return "feed: this is an HTML page, not a feed; it points to feeds at " +
		strings.Join(e.Alternates, ", ") + " — use one of those URLs"
}

// ParseError is a feed that could not be read. Msg is the message for the
// user, safe to print: the decoder's error Err quotes the broken input, so
// Msg has it cleaned (CleanText) and shortened.
type ParseError struct {
	Msg string // the message for the user
	Err error  // the decoder's error
}

// Error returns Msg.
func (e *ParseError) Error() string { return e.Msg }

// Unwrap returns the decoder's error.
func (e *ParseError) Unwrap() error { return e.Err }

// quoteErr returns err's message cleaned for display and cut to a line.
func quoteErr(err error) string {
	return cutAtWord(CleanText(err.Error()), 200)
}

// Parse reads an RSS (0.9x, 1.0/RDF, 2.0), Atom or JSON Feed document in any
// character encoding and returns it normalised (see normalize). contentType
// is the HTTP Content-Type (its charset is honoured), feedURL the address the
// body came from (relative links are resolved against it).
//
// Parse tolerates what real servers send: blank lines or junk before the
// document, a byte-order mark, a wrong or missing charset, control characters
// that make XML ill-formed, a truncated or damaged document (every item that
// can be read is kept, and warnings name the damage and each item skipped),
// a lone Atom entry, a JSON Feed with fields of the wrong type. It returns a *NotFeedError for bodies that
// are no feed (empty, HTML, OPML, other XML or JSON), an error starting
// "feed: " for feeds it cannot read, and never panics.
func Parse(body []byte, contentType, feedURL string) (*Feed, error) {
	return parseAt(body, contentType, feedURL, time.Now())
}

// parseAt is Parse with the current time given, so tests are repeatable.
func parseAt(body []byte, contentType, feedURL string, now time.Time) (f *Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("feed: could not read this feed (internal error: %s)", CleanText(fmt.Sprint(r)))
		}
	}()
	text, _ := toUTF8(body, contentType)
	src, warnings, err := decode(text, feedURL)
	if err != nil {
		return nil, err
	}
	f = normalize(src, feedURL, now)
	f.Warnings = append(warnings, f.Warnings...)
	return f, nil
}

// decode finds out what kind of document the UTF-8 text is and parses it
// with gofeed, salvaging what it can from damaged feeds.
func decode(text []byte, feedURL string) (*gofeed.Feed, []string, error) {
	trimmed := bytes.TrimLeft(text, " \t\r\n")
	if len(bytes.TrimSpace(trimmed)) == 0 {
		return nil, nil, &NotFeedError{Reason: "the body is empty"}
	}
	switch trimmed[0] {
	case '{':
		return decodeJSON(trimmed)
	case '[':
		return nil, nil, &NotFeedError{Reason: "a JSON document that is not a JSON Feed"}
	}
	safe := xmlSafe(text)
	root, offset, ok := findRoot(safe)
	if !ok {
		return nil, nil, &NotFeedError{Reason: "neither XML nor JSON"}
	}
	doc := flattenDeep(safe[offset:], maxFeedDepth)
	line := 1 + bytes.Count(safe[:offset], []byte("\n")) // of the root element, for messages
	switch local := strings.ToLower(root.Local); {
	case local == "rss" || local == "rdf" || local == "feed":
		doc, capped := capItems(doc, rawName(root), maxItems)
		f, warnings, err := decodeXML(doc, rawName(root), line)
		if capped && err == nil {
			warnings = append(warnings, fmt.Sprintf("feed: the feed has more than %d items; showing the first %d", maxItems, maxItems))
		}
		return f, warnings, err
	case local == "entry": // an Atom entry document: a feed of one
		wrapped := append(append([]byte(`<feed xmlns="http://www.w3.org/2005/Atom">`), doc...), "</feed>"...)
		return decodeXML(wrapped, "feed", line)
	case local == "opml":
		return nil, nil, &NotFeedError{Reason: "an OPML subscription list; add the feeds it lists instead"}
	case root.Space == "" && atom.Lookup([]byte(local)) != 0: // an HTML element
		return decodeHTML(text, local, feedURL)
	}
	name := cutAtWord(CleanText(restoreControls(rawName(root))), 40)
	return nil, nil, &NotFeedError{Reason: fmt.Sprintf("an XML document whose root element is <%s>", name)}
}

// rssTranslator skips gofeed's search for an item image in the item HTML: brief
// does not use it and it parses every body twice.
var rssTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}

// runGofeed parses doc with gofeed and turns a panic inside it into an error.
func runGofeed(doc []byte) (f *gofeed.Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("the feed parser crashed: %s", CleanText(fmt.Sprint(r)))
		}
	}()
	p := gofeed.NewParser()
	p.RSSTranslator = rssTranslator
	return p.Parse(bytes.NewReader(doc))
}
