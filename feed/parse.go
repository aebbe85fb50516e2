package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// NotFeedError says that a body is not a feed at all, and what it is instead.
// When the body is an HTML page that advertises feeds with
// <link rel="alternate">, Alternates holds their absolute URLs.
type NotFeedError struct {
	Reason     string   // what the body is, e.g. "an HTML page"
	Alternates []string // feed URLs the page points to, in page order
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
	Msg string
	Err error
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
// that make XML ill-formed, a truncated or damaged document (the items before
// the damage are kept and a warning says so), a lone Atom entry, a JSON Feed
// with fields of the wrong type. It returns a *NotFeedError for bodies that
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
	switch local := strings.ToLower(root.Local); {
	case local == "rss" || local == "rdf" || local == "feed":
		doc, capped := capItems(doc, rawName(root), maxItems)
		f, warnings, err := decodeXML(doc, rawName(root))
		if capped && err == nil {
			warnings = append(warnings, fmt.Sprintf("feed: the feed has more than %d items; showing the first %d", maxItems, maxItems))
		}
		return f, warnings, err
	case local == "entry": // an Atom entry document: a feed of one
		wrapped := append(append([]byte(`<feed xmlns="http://www.w3.org/2005/Atom">`), doc...), "</feed>"...)
		return decodeXML(wrapped, "feed")
	case local == "opml":
		return nil, nil, &NotFeedError{Reason: "an OPML subscription list; add the feeds it lists instead"}
	case root.Space == "" && atom.Lookup([]byte(local)) != 0: // an HTML element
		return decodeHTML(text, local, feedURL)
	}
	name := cutAtWord(CleanText(restoreControls(rawName(root))), 40)
	return nil, nil, &NotFeedError{Reason: fmt.Sprintf("an XML document whose root element is <%s>", name)}
}

// findRoot returns the name of the first element of text and its byte
// offset, skipping the XML declaration, comments, doctype and any junk text.
func findRoot(text []byte) (xml.Name, int, bool) {
	d := xml.NewDecoder(bytes.NewReader(text))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for {
		offset := d.InputOffset()
		tok, err := d.RawToken()
		if err != nil {
			return xml.Name{}, 0, false
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name, int(offset), true
		}
	}
}

// maxFeedDepth is how deeply elements may nest in a feed. Real feeds stay far
// below it; a hostile one nests thousands of extension elements to make
// gofeed build a tree of gigabytes from 16 MiB.
const maxFeedDepth = 256

// flattenDeep returns doc without the start and end tags of elements nested
// deeper than limit (their text stays), or doc itself when none is. It is a
// light scanner, not a parser: comments, CDATA sections, processing
// instructions and quoted attribute values are skipped whole.
func flattenDeep(doc []byte, limit int) []byte {
	var out []byte // nil until the first tag is dropped
	depth, last := 0, 0
	for i := 0; i < len(doc); {
		j := bytes.IndexByte(doc[i:], '<')
		if j < 0 {
			break
		}
		i += j
		if i+1 >= len(doc) || !isTagStart(doc[i+1]) {
			i++ // a bare '<' in text ("1 < 2"), which the lax decoder allows
			continue
		}
		start, end := i, tagEnd(doc, i)
		level := 0 // nesting level of the element this tag opens or closes
		switch rest := doc[i+1:]; {
		case bytes.HasPrefix(rest, []byte("!")), bytes.HasPrefix(rest, []byte("?")):
		case bytes.HasPrefix(rest, []byte("/")):
			level = depth
			depth = max(depth-1, 0)
		case end >= 2 && doc[end-2] == '/': // <empty/>
			level = depth + 1
		default:
			depth++
			level = depth
		}
		i = end
		if level > limit {
			if out == nil {
				out = make([]byte, 0, len(doc))
			}
			out = append(out, doc[last:start]...)
			last = end
		}
	}
	if out == nil {
		return doc
	}
	return append(out, doc[last:]...)
}

// isTagStart reports whether c, following '<', starts markup: a name, an
// end tag, a comment or declaration, or a processing instruction.
func isTagStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || c >= 0x80 ||
		c == '/' || c == '!' || c == '?'
}

// tagEnd returns the offset just past the markup that starts with the '<' at
// doc[i]: a comment, CDATA section, processing instruction or tag (quoted
// attribute values may hold '>'), or len(doc) when it is not closed.
func tagEnd(doc []byte, i int) int {
	rest := doc[i:]
	for _, d := range []struct{ open, close string }{{"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"}} {
		if bytes.HasPrefix(rest, []byte(d.open)) {
			if j := bytes.Index(rest[len(d.open):], []byte(d.close)); j >= 0 {
				return i + len(d.open) + j + len(d.close)
			}
			return len(doc)
		}
	}
	var quote byte
	for j := i + 1; j < len(doc); j++ {
		switch c := doc[j]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return j + 1
		}
	}
	return len(doc)
}

// maxItems is the most items brief reads from one feed. A feed of hundreds
// of thousands of tiny items would take a minute and a gigabyte to parse;
// feeds list their newest items first, so the first ones are kept.
const maxItems = 20000

// capItems cuts an RSS or Atom document whose root element is root before
// its item (or entry) number limit+1, closing it with </root>; capped says
// whether it did. Item start tags are counted by a plain search, which may
// overcount (inside CDATA) but only ever cuts a feed that really is huge.
func capItems(doc []byte, root string, limit int) (out []byte, capped bool) {
	if bytes.Count(doc, []byte("<item"))+bytes.Count(doc, []byte("<entry")) <= limit {
		return doc, false
	}
	n := 0
	for i := 0; i < len(doc); i++ {
		j := bytes.IndexByte(doc[i:], '<')
		if j < 0 {
			break
		}
		i += j
		rest := doc[i+1:]
		var name []byte
		switch {
		case bytes.HasPrefix(rest, []byte("item")):
			name = rest[4:]
		case bytes.HasPrefix(rest, []byte("entry")):
			name = rest[5:]
		default:
			continue
		}
		if len(name) > 0 && !strings.ContainsRune(" \t\r\n>/", rune(name[0])) {
			continue // <items>, <entry-point> …
		}
		if n++; n > limit {
			out = make([]byte, 0, i+len(root)+3)
			out = append(out, doc[:i]...)
			return append(out, "</"+root+">"...), true
		}
	}
	return doc, false
}

// rawName spells an element name as it is written, prefix included.
func rawName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
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

// decodeXML parses an RSS, RDF or Atom document whose root element is root.
// When gofeed fails on a truncated or damaged document, the document is cut
// after the last complete item before the damage and closed, and parsed
// again: the items before the damage are kept, with a warning.
func decodeXML(doc []byte, root string) (*gofeed.Feed, []string, error) {
	f, err := runGofeed(doc)
	if err == nil {
		return f, nil, nil
	}
	if fixed, ok := cutXML(doc, root, err); ok {
		if f2, err2 := runGofeed(fixed); err2 == nil {
			return f2, []string{fmt.Sprintf("feed: the feed is damaged (%s); showing the %d items before the damage",
				quoteErr(err), len(f2.Items))}, nil
		}
	}
	return nil, nil, &ParseError{Msg: "feed: malformed feed XML: " + quoteErr(err), Err: err}
}

// cutXML returns doc cut after the last item or entry that ends before the
// syntax error err (or the last complete tag), closed with </root>. The
// non-strict XML decoder closes every element still open at that end tag.
func cutXML(doc []byte, root string, err error) ([]byte, bool) {
	limit := len(doc)
	var se *xml.SyntaxError
	if errors.As(err, &se) && se.Line > 0 {
		limit = lineStart(doc, se.Line+1)
	}
	end := max(lastEndTag(doc[:limit], "item"), lastEndTag(doc[:limit], "entry"))
	if end < 0 {
		end = bytes.LastIndexByte(doc[:limit], '>') + 1
	}
	if end <= 0 {
		return nil, false
	}
	out := make([]byte, 0, end+len(root)+3)
	out = append(out, doc[:end]...)
	return append(out, "</"+root+">"...), true
}

// lineStart returns the offset of the start of the 1-based line n of b, or
// len(b).
func lineStart(b []byte, n int) int {
	off := 0
	for line := 1; line < n; line++ {
		i := bytes.IndexByte(b[off:], '\n')
		if i < 0 {
			return len(b)
		}
		off += i + 1
	}
	return off
}

// lastEndTag returns the offset just past the last end tag </local> or
// </prefix:local> in b, or -1.
func lastEndTag(b []byte, local string) int {
	needle := []byte(local + ">")
	for hi := len(b); hi > 0; {
		i := bytes.LastIndex(b[:hi], needle)
		if i < 0 {
			return -1
		}
		j := i
		if j > 0 && b[j-1] == ':' { // skip a namespace prefix
			j--
			for j > 0 && isNameByte(b[j-1]) {
				j--
			}
		}
		if j >= 2 && b[j-2] == '<' && b[j-1] == '/' {
			return i + len(needle)
		}
		hi = i
	}
	return -1
}

// isNameByte reports whether c can appear in an ASCII XML name.
func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}

// decodeHTML handles a body that is HTML: an error naming the feeds the page
// advertises, or, for a page that merely wraps a feed, that feed.
func decodeHTML(text []byte, root, feedURL string) (*gofeed.Feed, []string, error) {
	if alts := feedAlternates(text, feedURL); len(alts) > 0 {
		return nil, nil, &NotFeedError{Reason: "an HTML page", Alternates: alts}
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
// (and Atom, JSON Feed, RDF), resolved against <base href> and pageURL.
func feedAlternates(page []byte, pageURL string) []string {
	base, _ := url.Parse(pageURL)
	var out []string
	seen := map[string]bool{}
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
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

// resolveRef resolves ref against base (which may be nil).
func resolveRef(base *url.URL, ref string) (*url.URL, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, errors.New("empty reference")
	}
	u, err := url.Parse(strings.ReplaceAll(ref, " ", "%20"))
	if err != nil {
		return nil, err
	}
	if base == nil {
		return u, nil
	}
	return base.ResolveReference(u), nil
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

// decodeJSON parses a JSON Feed. A feed that is truncated or has fields of
// the wrong type (a string where a list of tags belongs) is repaired: what
// could be read is kept, with a warning.
func decodeJSON(doc []byte) (*gofeed.Feed, []string, error) {
	var warnings []string
	if len(doc) > bigJSON { // maybe a huge number of items: read only maxItems
		if fixed, capped, ok := repairJSON(doc, maxItems); ok && capped {
			doc = fixed
			warnings = append(warnings, fmt.Sprintf("feed: the feed has more than %d items; showing the first %d", maxItems, maxItems))
		}
	}
	f, err := runGofeed(doc)
	if err != nil {
		fixed, _, ok := repairJSON(doc, maxItems)
		if !ok {
			return nil, nil, &ParseError{Msg: "feed: malformed JSON Feed: " + quoteErr(err), Err: err}
		}
		f2, err2 := runGofeed(fixed)
		if err2 != nil {
			return nil, nil, &ParseError{Msg: "feed: malformed JSON Feed: " + quoteErr(err), Err: err}
		}
		f = f2
		warnings = append(warnings, fmt.Sprintf("feed: the JSON Feed is damaged (%s); showing the %d items that could be read",
			quoteErr(err), len(f.Items)))
	}
	if !strings.Contains(f.FeedVersion, "jsonfeed") && len(f.Items) == 0 && f.Title == "" {
		if f2 := decodeRSSInJSON(doc); f2 != nil {
			return f2, warnings, nil
		}
		return nil, nil, &NotFeedError{Reason: "a JSON document that is not a JSON Feed"}
	}
	return f, warnings, nil
}

// decodeRSSInJSON reads "RSS in JSON" (an RSS 2.0 channel written as JSON,
// {"rss": {"channel": {…, "item": […]}}}, as Scripting News publishes it) by
// rewriting it as a JSON Feed; nil when doc is not that.
func decodeRSSInJSON(doc []byte) *gofeed.Feed {
	obj, _ := salvageJSONObject(doc, maxItems)
	rss, _ := obj["rss"].(map[string]any)
	channel, _ := rss["channel"].(map[string]any)
	if channel == nil {
		return nil
	}
	str := func(m map[string]any, k string) any {
		switch v := m[k].(type) {
		case string:
			return v
		case map[string]any: // {"#value": …} or {"value": …} for elements with attributes
			for _, vk := range []string{"#value", "value", "#text"} {
				if s, ok := v[vk].(string); ok {
					return s
				}
			}
		}
		return nil
	}
	list := channel["item"]
	if one, ok := list.(map[string]any); ok {
		list = []any{one}
	}
	raw, _ := list.([]any)
	items := make([]any, 0, len(raw))
	for _, r := range raw {
		it, ok := r.(map[string]any)
		if !ok {
			continue
		}
		jf := map[string]any{"id": str(it, "guid"), "url": str(it, "link"), "title": str(it, "title"),
			"content_html": str(it, "description"), "date_published": str(it, "pubDate")}
		for _, k := range []string{"author", "dc:creator"} {
			if a := str(it, k); a != nil {
				jf["authors"] = []any{map[string]any{"name": a}}
				break
			}
		}
		items = append(items, jf)
	}
	feed := map[string]any{"version": "https://jsonfeed.org/version/1.1", "title": str(channel, "title"),
		"home_page_url": str(channel, "link"), "description": str(channel, "description"), "items": items}
	coerceJSONFeed(feed)
	out, err := json.Marshal(feed)
	if err != nil {
		return nil
	}
	f, err := runGofeed(out)
	if err != nil {
		return nil
	}
	return f
}

// bigJSON is the size above which a JSON Feed is first read item by item, so
// that one of a million tiny items costs no more than maxItems of them.
const bigJSON = 4 << 20

// repairJSON reads as much of a JSON Feed object as it can (stopping at a
// truncation, keeping every complete item, and at most limit items), drops
// or fixes fields of the wrong type, and encodes the result again; capped
// says whether items were left unread.
func repairJSON(doc []byte, limit int) (out []byte, capped, ok bool) {
	obj, capped := salvageJSONObject(doc, limit)
	if obj == nil {
		return nil, false, false
	}
	coerceJSONFeed(obj)
	out, err := json.Marshal(obj)
	if err != nil {
		return nil, false, false
	}
	return out, capped, true
}

// salvageJSONObject decodes the members of the JSON object doc one by one,
// and the elements of its "items" array one by one, up to the first error or
// the limit-th item (then capped is true and the rest is not read).
func salvageJSONObject(doc []byte, limit int) (obj map[string]any, capped bool) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, false
	}
	obj = map[string]any{}
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			break
		}
		if key == "items" {
			items, complete := salvageJSONArray(dec, limit)
			obj[key] = items
			if !complete {
				capped = len(items) == limit
				break
			}
			continue
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			break
		}
		obj[key] = v
	}
	return obj, capped
}

// salvageJSONArray decodes the elements of the array that starts at dec's
// next token up to the first error or the limit-th element; complete is
// false when it stopped early.
func salvageJSONArray(dec *json.Decoder, limit int) (items []any, complete bool) {
	items = []any{}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return items, false
	}
	for dec.More() {
		if len(items) == limit {
			return items, false
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return items, false
		}
		items = append(items, v)
	}
	_, err := dec.Token()
	return items, err == nil
}

// JSON Feed members that must be strings, at the top level and in items.
var (
	jsonFeedStrings = []string{"version", "title", "home_page_url", "feed_url", "description",
		"user_comment", "next_url", "icon", "favicon", "language"}
	jsonItemStrings = []string{"url", "external_url", "title", "content_html", "content_text",
		"summary", "image", "banner_image", "date_published", "date_modified", "language"}
)

// coerceJSONFeed removes or fixes the members of a decoded JSON Feed whose
// type gofeed would reject: non-string strings, a comma-separated string of
// tags, authors and attachments that are not objects.
func coerceJSONFeed(obj map[string]any) {
	keepStrings(obj, jsonFeedStrings)
	keepPeople(obj)
	items, _ := obj["items"].([]any)
	kept := make([]any, 0, len(items))
	for _, v := range items {
		it, ok := v.(map[string]any)
		if !ok {
			continue
		}
		keepStrings(it, jsonItemStrings)
		keepPeople(it)
		if id, ok := it["id"]; ok {
			switch id.(type) {
			case string, float64:
			default:
				delete(it, "id")
			}
		}
		switch tags := it["tags"].(type) {
		case nil:
		case []any:
			it["tags"] = onlyStrings(tags)
		case string:
			it["tags"] = strings.Split(tags, ",")
		default:
			delete(it, "tags")
		}
		if att, ok := it["attachments"]; ok {
			it["attachments"] = onlyObjects(att)
		}
		kept = append(kept, it)
	}
	obj["items"] = kept
}

// keepStrings deletes the named members of m that are not strings.
func keepStrings(m map[string]any, names []string) {
	for _, k := range names {
		if v, ok := m[k]; ok {
			if _, isString := v.(string); !isString {
				delete(m, k)
			}
		}
	}
}

// keepPeople makes m's "author" an object and "authors" a list of objects,
// each with string members only, or removes them.
func keepPeople(m map[string]any) {
	if a, ok := m["author"]; ok {
		if p, isObj := a.(map[string]any); isObj {
			keepStrings(p, []string{"name", "url", "avatar"})
		} else {
			delete(m, "author")
		}
	}
	if a, ok := m["authors"]; ok {
		people := onlyObjects(a)
		for _, p := range people {
			keepStrings(p.(map[string]any), []string{"name", "url", "avatar"})
		}
		m["authors"] = people
	}
}

// onlyStrings returns the strings among the elements of v (a []any or nil).
func onlyStrings(v any) []any {
	list, _ := v.([]any)
	out := []any{}
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// onlyObjects returns the objects among the elements of v (a []any).
func onlyObjects(v any) []any {
	list, _ := v.([]any)
	out := []any{}
	for _, e := range list {
		if _, ok := e.(map[string]any); ok {
			out = append(out, e)
		}
	}
	return out
}
