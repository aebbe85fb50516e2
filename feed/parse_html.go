package feed

import (
	"bytes"
	"net/url"
	"strings"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
)

// This file handles bodies that are HTML rather than a feed: pages that
// advertise their feeds with <link rel="alternate"> and pages that wrap a
// feed.

// decodeHTML handles a body that is HTML: an error naming the feeds the page
// advertises, or, for a page that merely wraps a feed, that feed.
func decodeHTML(text []byte, root, feedURL string) (*gofeed.Feed, []string, error) {
	if alts, titles := feedAlternates(text, feedURL); len(alts) > 0 {
		return nil, nil, &NotFeedError{Reason: "an HTML page", Alternates: alts, Titles: titles}
	}
	if f := embeddedFeed(text); f != nil {
		return f, []string{"feed: the feed is wrapped in an HTML page"}, nil
	}
	if root == "html" || root == "head" || root == "body" || root == "meta" || root == "title" || root == "link" {
		return nil, nil, &NotFeedError{Reason: "an HTML page"}
	}
	return nil, nil, &NotFeedError{Reason: "a fragment of HTML"}
}

// feedTypes are the link types of feeds an HTML page can advertise.
var feedTypes = map[string]bool{
	"application/rss+xml":   true,
	"application/atom+xml":  true,
	"application/feed+json": true,
	"application/rdf+xml":   true,
}

// feedAlternates returns the absolute http(s) URLs of the feeds an HTML page
// advertises with <link rel="alternate" type="application/rss+xml" href>
// (and Atom, JSON Feed, RDF), resolved against <base href> and pageURL,
// and beside them the links' title attributes ("" when a link has none).
func feedAlternates(page []byte, pageURL string) (out, titles []string) {
	base, _ := url.Parse(pageURL)
	seen := map[string]bool{}
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out, titles
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			tag := string(name)
			if (tag != "link" && tag != "base") || !more {
				continue
			}
			attrs := map[string]string{}
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				attrs[string(k)] = string(v)
			}
			if tag == "base" {
				if u, err := resolveRef(base, attrs["href"]); err == nil {
					base = u
				}
				continue
			}
			typ, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(attrs["type"])), ";")
			if !hasToken(attrs["rel"], "alternate") || !feedTypes[strings.TrimSpace(typ)] {
				continue
			}
			u, err := resolveRef(base, attrs["href"])
			if err != nil {
				continue
			}
			if s, err := CheckURL(u.String()); err == nil && !seen[s] {
				seen[s] = true
				out = append(out, s)
				titles = append(titles, CleanText(attrs["title"]))
			}
		}
	}
}

// hasToken reports whether the space-separated list s contains tok (ASCII
// case-insensitively).
func hasToken(s, tok string) bool {
	for _, f := range strings.Fields(s) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// embeddedFeed finds an RSS or Atom document inside an HTML page and parses
// it; nil when there is none with items.
func embeddedFeed(page []byte) *gofeed.Feed {
	for _, open := range []string{"<rss", "<feed", "<rdf:RDF"} {
		i := bytes.Index(page, []byte(open))
		if i < 0 || i+len(open) >= len(page) || !strings.ContainsRune(" \t\r\n>", rune(page[i+len(open)])) {
			continue
		}
		doc, _ := capItems(flattenDeep(xmlSafe(page[i:]), maxFeedDepth), open[1:], maxItems)
		if f, err := runGofeed(doc); err == nil && len(f.Items) > 0 {
			return f
		}
	}
	return nil
}
