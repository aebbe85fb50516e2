package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
)

// This file prepares RSS, RDF and Atom documents for gofeed and salvages
// damaged ones: it finds the root element, stands in for the control
// characters the XML decoder refuses, flattens absurdly deep nesting, caps
// the number of items and cuts a broken document after its last complete
// item.

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
// instructions and quoted attribute values are skipped whole. As the lenient
// XML decoder does, an end tag closes the elements left open inside the one
// it names ("<item><title>a <b</title></item>" ends at depth 0), so broken
// tags in many items do not add up to a depth that hides the items after
// them.
func flattenDeep(doc []byte, limit int) []byte {
	var out []byte // nil until the first tag is dropped
	var names [16][]byte
	open := names[:0] // the names of the open elements up to the limit
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
			if depth <= len(open) { // else deeper than the names kept
				name := elementName(rest[1:])
				for k := len(open) - 1; k >= 0; k-- {
					if bytes.Equal(open[k], name) {
						level = k + 1
						break
					}
				}
				open = open[:max(level-1, 0)]
			}
			depth = max(level-1, 0)
		case end >= 2 && doc[end-2] == '/': // <empty/>
			level = depth + 1
		default:
			depth++
			level = depth
			if depth <= limit && depth == len(open)+1 {
				open = append(open, elementName(rest))
			}
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

// elementName returns the element name at the start of b (which follows
// "<" or "</").
func elementName(b []byte) []byte {
	n := 0
	for n < len(b) && (isNameByte(b[n]) || b[n] == ':' || b[n] >= 0x80) {
		n++
	}
	return b[:n]
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

// decodeXML parses an RSS, RDF or Atom document whose root element is root.
// When gofeed fails on a damaged document, or reads fewer items than the
// document holds (a mismatched end tag makes it stop early without an
// error), the items are read one by one (salvageItems): the readable ones are
// kept, with warnings naming the others. A document without items is cut
// before the damage instead. line is the line of the feed doc starts on, for
// the messages.
func decodeXML(doc []byte, root string, line int) (*gofeed.Feed, []string, error) {
	f, err := runGofeed(doc)
	if err == nil && !missingItems(doc, root, f) {
		return f, nil, nil
	}
	if f2, warnings, ok := salvageItems(doc, root, err, line); ok && (err != nil || len(f2.Items) > len(f.Items)) {
		return f2, warnings, nil
	}
	if err == nil {
		return f, nil, nil
	}
	if fixed, ok := cutXML(doc, root, err); ok {
		if f2, err2 := runGofeed(fixed); err2 == nil {
			return f2, []string{fmt.Sprintf("feed: the feed is damaged (%s); showing the %d items before the damage",
				xmlErrorText(err, line), len(f2.Items))}, nil
		}
	}
	return nil, nil, &ParseError{Msg: "feed: malformed feed XML: " + xmlErrorText(err, line), Err: err}
}

// cutXML returns doc cut after the last item or entry that ends before the
// point where the XML decoder gives up on it (or the last complete tag),
// closed with </root>. The non-strict XML decoder closes every element still
// open at that end tag. err is gofeed's error, whose line is used when the
// point cannot be found.
func cutXML(doc []byte, root string, err error) ([]byte, bool) {
	limit := syntaxErrorOffset(doc)
	var se *xml.SyntaxError
	if limit < 0 || limit > len(doc) {
		limit = len(doc)
		if errors.As(err, &se) && se.Line > 0 {
			limit = lineStart(doc, se.Line+1)
		}
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

// controlStandIn is the first of 32 private-use characters that stand in for
// the C0 control characters while a feed goes through the XML decoder, which
// refuses controls (a single ESC would make it give up on the whole feed).
// restoreControls turns them back so that CleanText sees, and removes,
// complete escape sequences rather than leaving "[2J" behind.
const controlStandIn = 0xF700

// xmlSafe rewrites what makes the XML decoder give up on a whole feed
// although only a character is wrong: raw C0 control characters other than
// tab and newline, and character references to them (&#27;), become their
// stand-ins (see controlStandIn); U+FFFE, U+FFFF and references to those,
// to surrogates or beyond Unicode are removed. It also writes references to
// C1 controls (&#x9c;) as the characters themselves, but for CSI (&#155;,
// which feeds use for "›"): gofeed decodes references with HTML's rules,
// which turn some of them into windows-1252 characters, so that an OSC
// string's terminator ST would become "œ" and the text after it would be
// taken for the string; repairText and CleanText handle the raw characters.
// doc is returned unchanged (not copied) when it is clean.
func xmlSafe(doc []byte) []byte {
	var out []byte // nil until the first change
	for i := 0; i < len(doc); {
		c := doc[i]
		n, repl := 0, rune(-1) // bytes to replace at i, and by what (-1: nothing)
		switch {
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
			n, repl = 1, controlStandIn+rune(c)
		case c == 0xEF && i+2 < len(doc) && doc[i+1] == 0xBF && (doc[i+2] == 0xBE || doc[i+2] == 0xBF):
			n = 3
		case c == '&' && i+1 < len(doc) && doc[i+1] == '#':
			switch r, size := charRef(doc[i:]); {
			case size == 0:
			case !xmlChar(r):
				n = size
				if r >= 0 && r < 0x20 {
					repl = controlStandIn + r
				}
			case r >= 0x80 && r <= 0x9f && r != 0x9b:
				n, repl = size, r
			}
		}
		if n == 0 {
			if out != nil {
				out = append(out, c)
			}
			i++
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(doc)+16)
			out = append(out, doc[:i]...)
		}
		if repl >= 0 {
			out = utf8.AppendRune(out, repl)
		}
		i += n
	}
	if out == nil {
		return doc
	}
	return out
}

// restoreControls turns the stand-ins xmlSafe put into a feed back into the
// control characters they stand for.
func restoreControls(s string) string {
	// The stand-ins U+F700–U+F71F are EF 9C 80 – EF 9C 9F in UTF-8.
	if !strings.Contains(s, "\xef\x9c") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= controlStandIn && r < controlStandIn+0x20 {
			return r - controlStandIn
		}
		return r
	}, s)
}

// charRef parses the character reference (&#NN; or &#xHH;) at the start of
// b and returns its value and length, or size 0.
func charRef(b []byte) (rune, int) {
	i, base := 2, 10
	if i < len(b) && (b[i] == 'x' || b[i] == 'X') {
		i, base = 3, 16
	}
	start := i
	var v int64
	for ; i < len(b) && i-start < 12; i++ {
		d := hexDigit(b[i])
		if d < 0 || d >= base {
			break
		}
		v = v*int64(base) + int64(d)
	}
	if i == start || i >= len(b) || b[i] != ';' {
		return 0, 0
	}
	if v > 0x10FFFF {
		v = -1
	}
	return rune(v), i + 1
}

// hexDigit returns the value of the hex digit c, or -1.
func hexDigit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// xmlChar reports whether r may appear in an XML 1.0 document.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
