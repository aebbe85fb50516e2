package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mmcdole/gofeed"
)

// This file salvages the readable items of an RSS, RDF or Atom document that
// gofeed cannot read whole (one item with a broken tag makes it give up on
// the feed) or reads only in part (a mismatched end tag closes every element,
// and the items after it are silently lost). The document is split into its
// header, its items and its trailer by a light scanner (parse_items.go);
// the header and trailer give the feed's own fields, and the items are
// parsed wrapped in the document's root element, in batches, and one by one
// in a batch that fails: the readable ones are kept and each broken one is
// named in a warning.

// salvageBatch is how many items are parsed together before falling back to
// one at a time: a batch that parses into as many items as it holds is kept
// whole, so a feed with one bad item costs little more than a normal parse.
const salvageBatch = 64

// maxSalvagePrefix bounds the root start tag that wraps every item: it is
// parsed again with each batch and each item.
const maxSalvagePrefix = 4 << 10

// missingItems reports whether gofeed read fewer items from doc than doc
// seems to hold: a cheap count of "<item" and "<entry" first (which may
// overcount, as in "<itemize>" or inside CDATA), then the scanner's exact
// one.
func missingItems(doc []byte, root string, f *gofeed.Feed) bool {
	quick := bytes.Count(doc, []byte("<item")) - bytes.Count(doc, []byte("<items")) + bytes.Count(doc, []byte("<entry"))
	if quick <= len(f.Items) {
		return false
	}
	chunks, _ := splitItems(doc, itemElement(root), localName(root))
	return len(chunks) > len(f.Items)
}

// salvageItems reads doc, whose root element is root, item by item (see the
// top of this file). wholeErr is gofeed's error on the whole document (nil
// when it read the document but lost items); line is the line of the feed
// doc starts on. It returns the feed, the warnings to show, and false when
// doc cannot be salvaged this way (it has no items, or its header cannot be
// read).
func salvageItems(doc []byte, root string, wholeErr error, line int) (*gofeed.Feed, []string, bool) {
	chunks, trailer := splitItems(doc, itemElement(root), localName(root))
	if len(chunks) == 0 {
		return nil, nil, false
	}
	rootEnd := tagEnd(doc, 0)
	if rootEnd > maxSalvagePrefix || rootEnd > chunks[0].start {
		return nil, nil, false
	}
	// Line breaks inside the root start tag are spaces: the wrapped item then
	// starts on line 1, and error lines can be counted from its own line.
	prefix := bytes.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, doc[:rootEnd])
	if strings.EqualFold(localName(root), "rss") {
		prefix = append(prefix, "<channel>"...)
	}
	closing := "</" + root + ">"

	f := parseSkeleton(doc[:chunks[0].start], doc[trailer:], prefix, root)
	if f == nil {
		return nil, nil, false
	}
	s := salvager{prefix: prefix, closing: closing, doc: doc, line: line}
	cutOff := false
	for lo := 0; lo < len(chunks); lo += salvageBatch {
		batch := chunks[lo:min(lo+salvageBatch, len(chunks))]
		if last := batch[len(batch)-1]; last.cutOff {
			cutOff = true // a truncated item is incomplete: left out
			batch = batch[:len(batch)-1]
		}
		s.parseBatch(batch, lo)
	}
	f.Items = s.items

	damage := "items went missing"
	if wholeErr != nil {
		damage = xmlErrorText(wholeErr, line)
	} else if err := mismatchedEndTag(doc, line); err != nil {
		damage = quoteErr(err)
	}
	var warnings []string
	if s.skipped == 0 && cutOff {
		warnings = append(warnings, fmt.Sprintf("feed: the feed is damaged (%s); showing the %d items before the damage",
			damage, len(f.Items)))
	} else {
		warnings = append(warnings, fmt.Sprintf("feed: the feed is damaged (%s); showing the %d items that could be read",
			damage, len(f.Items)))
	}
	warnings = append(warnings, s.warnings...)
	if more := s.skipped - s.namedSkips; more > 0 {
		warnings = append(warnings, fmt.Sprintf("feed: %d more items skipped", more))
	}
	return f, warnings, true
}

// parseSkeleton parses the document without its items (header and trailer)
// for the feed's own fields; when that fails, the header alone, cut before
// its damage; when that fails too, the bare root element. It returns nil when
// nothing can be read.
func parseSkeleton(header, trailer, prefix []byte, root string) *gofeed.Feed {
	closing := "</" + root + ">"
	skeleton := make([]byte, 0, len(header)+len(trailer)+len(closing))
	skeleton = append(append(skeleton, header...), trailer...)
	if len(trailer) == 0 {
		skeleton = append(skeleton, closing...)
	}
	f, err := runGofeed(skeleton)
	if err == nil {
		return f
	}
	if cut, ok := cutXML(header, root, err); ok {
		if f, err := runGofeed(cut); err == nil {
			return f
		}
	}
	if f, err := runGofeed(append(prefix[:len(prefix):len(prefix)], closing...)); err == nil {
		return f
	}
	return nil
}

// salvager collects the items that can be read.
type salvager struct {
	prefix  []byte // the root start tag (and <channel>) every item is wrapped in
	closing string // the root end tag
	doc     []byte
	line    int // the line of the feed doc starts on

	items      []*gofeed.Item
	skipped    int      // items left out
	namedSkips int      // of which warnings name this many
	warnings   []string // at most maxSkipWarnings about single items
	buf        []byte
}

// parseBatch parses the chunks of a batch together, and one at a time when
// that fails or yields fewer items than the batch holds; first is the index
// of the first chunk among all items. An item read on its own that has a
// mismatched end tag is kept with a warning: part of it may be missing.
func (s *salvager) parseBatch(batch []itemChunk, first int) {
	if len(batch) == 0 {
		return
	}
	if len(batch) > 1 {
		if f, err := runGofeed(s.wrap(batch)); err == nil && len(f.Items) == len(batch) {
			s.items = append(s.items, f.Items...)
			return
		}
	}
	for i, c := range batch {
		f, err := runGofeed(s.wrap(batch[i : i+1]))
		switch {
		case err != nil:
			s.skip(first+i, xmlErrorText(err, s.line+c.line-1))
		case len(f.Items) == 0:
			s.skip(first+i, "it could not be read")
		default:
			s.items = append(s.items, f.Items...)
			if err := mismatchedEndTag(s.doc[c.start:c.end], s.line+c.line-1); err != nil {
				s.warn(fmt.Sprintf("feed: item %d is damaged (%s); showing what could be read", first+i+1, quoteErr(err)))
			}
		}
	}
}

// wrap returns the chunks wrapped in the root element. The buffer is reused:
// gofeed does not keep it.
func (s *salvager) wrap(chunks []itemChunk) []byte {
	s.buf = append(s.buf[:0], s.prefix...)
	for _, c := range chunks {
		s.buf = append(s.buf, s.doc[c.start:c.end]...)
	}
	s.buf = append(s.buf, s.closing...)
	return s.buf
}

// skip records that item i (0-based) could not be read, and why.
func (s *salvager) skip(i int, reason string) {
	s.skipped++
	if s.warn(fmt.Sprintf("feed: item %d skipped: %s", i+1, reason)) {
		s.namedSkips++
	}
}

// warn adds a warning about one item unless there are enough of those, and
// reports whether it did.
func (s *salvager) warn(w string) bool {
	if len(s.warnings) >= maxSkipWarnings {
		return false
	}
	s.warnings = append(s.warnings, w)
	return true
}

// xmlErrorText describes gofeed's error on a document that starts on the
// given line of the feed, with the line of the feed it refers to.
func xmlErrorText(err error, line int) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return quoteErr(fmt.Errorf("XML syntax error on line %d: %s", line+se.Line-1, se.Msg))
	}
	return quoteErr(err)
}

// mismatchedEndTag returns an error naming the first end tag in doc that
// does not close the element open at that point, or nil when there is none
// (or the document breaks before one). The lenient decoder gofeed uses takes
// such a tag ("<title>…</titel>") as closing that element and every element
// around it, without an error: the rest of the item, or of the feed, is
// lost. line is the line of the document doc starts on.
func mismatchedEndTag(doc []byte, line int) error {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var open []string
	for {
		tok, err := d.RawToken()
		if err != nil {
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			open = append(open, t.Name.Local)
		case xml.EndElement:
			if len(open) == 0 {
				return nil
			}
			if top := open[len(open)-1]; top != t.Name.Local {
				at, _ := d.InputPos()
				return fmt.Errorf("XML syntax error on line %d: element <%s> closed by </%s>", line+at-1, top, t.Name.Local)
			}
			if open = open[:len(open)-1]; len(open) == 0 {
				return nil
			}
		}
	}
}

// syntaxErrorOffset returns the offset in doc at which the lenient XML
// decoder gofeed uses gives up, or -1 when it reads doc to the end of its
// root element.
func syntaxErrorOffset(doc []byte) int {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF && depth == 0 {
				return -1
			}
			return int(d.InputOffset())
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth--; depth == 0 {
				return -1
			}
		}
	}
}
