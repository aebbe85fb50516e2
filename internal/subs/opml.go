package subs

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// frame is an open <outline>.
type frame struct {
	folder   string // the folder's name, for an outline that is no feed
	feed     bool   // it has an xmlUrl
	children int    // outlines inside it so far
	line     int    // where it starts
	typ      string // its type attribute, lower case
}

// parseOPML reads an OPML 1.0 or 2.0 document (text is UTF-8): every
// <outline> with an xmlUrl (any letter case) is a feed, the outlines around
// it are folders whose names become its tags.
func parseOPML(text []byte) (*List, error) {
	d := xml.NewDecoder(bytes.NewReader(fixAmpersands(dropControls(text))))
	d.Strict = true
	d.Entity = xml.HTMLEntity // &nbsp; and friends, which some exporters write
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) {
		return r, nil // text is UTF-8 already, whatever the prolog says
	}
	b := newBuilder("OPML")
	var (
		stack    []frame // open outlines
		seenRoot bool
		outlines int
	)
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			if !seenRoot {
				return nil, &notList{"subs: not an OPML file: no element found"}
			}
			return b.list, nil
		}
		if err != nil {
			return nil, xmlError(err, seenRoot)
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.Contains(bytes.ToUpper(t), []byte("<!ENTITY")) || bytes.Contains(bytes.ToUpper(t), []byte("ENTITY ")) {
				return nil, &notList{fmt.Sprintf("subs: line %d: the file declares XML entities (<!ENTITY>), which brief does not expand (an entity-expansion bomb?); an OPML export never needs them", line)}
			}
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if !seenRoot {
				seenRoot = true
				if name != "opml" {
					return nil, &notList{rootMessage(name)}
				}
				continue
			}
			if name != "outline" {
				if len(stack) > 0 { // something else inside an outline: skip it whole
					if err := d.Skip(); err != nil {
						return nil, xmlError(err, true)
					}
				}
				continue
			}
			outlines++
			if outlines > MaxOutlines {
				return nil, &notList{fmt.Sprintf("subs: line %d: more than %d outlines; brief imports lists of up to %d feeds", line, MaxOutlines, MaxOutlines)}
			}
			if len(stack) >= MaxDepth {
				return nil, &notList{fmt.Sprintf("subs: line %d: outlines nested more than %d deep; no reader exports folders like that", line, MaxDepth)}
			}
			if len(stack) > 0 {
				stack[len(stack)-1].children++
			}
			a := attrs(t.Attr)
			f := frame{line: line, typ: strings.ToLower(a["type"])}
			u := strings.TrimSpace(a["xmlurl"])
			if u == "" && (f.typ == "rss" || f.typ == "atom") && len(a["url"]) > 0 {
				u = strings.TrimSpace(a["url"]) // some OPML 1.0 writers
			}
			title := a["text"]
			if strings.TrimSpace(title) == "" {
				title = a["title"]
			}
			switch kind, skip := notAFeed(u, f.typ); {
			case u != "" && skip:
				f.feed = true
				b.skip(line, u, kind)
			case u != "":
				f.feed = true
				b.add(line, u, strings.TrimSpace(title), append(folders(stack), categories(a["category"])...))
			default:
				f.folder = strings.TrimSpace(title)
			}
			stack = append(stack, f)
		case xml.EndElement:
			if strings.ToLower(t.Name.Local) != "outline" || len(stack) == 0 {
				continue
			}
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !f.feed && f.children == 0 && (f.typ == "rss" || f.typ == "atom") {
				b.skip(f.line, "", fmt.Sprintf("an outline typed %s without an xmlUrl (%q)", f.typ, f.folder))
			}
		}
	}
}

// folders returns the names of the folders around an outline, outermost first.
func folders(stack []frame) []string {
	var out []string
	for _, f := range stack {
		if !f.feed && f.folder != "" {
			out = append(out, f.folder)
		}
	}
	return out
}

// notAFeed recognises outlines that name something other than a feed
// brief can fetch, and says what: newsboat's command feeds and FreshRSS's
// web-page scrapers.
func notAFeed(u, typ string) (string, bool) {
	if kind, ok := newsboatOnly(u); ok {
		return kind, true
	}
	if strings.HasPrefix(u, "|") {
		return "a newsboat command feed (|command); brief only fetches http(s) feeds", true
	}
	if strings.Contains(typ, "xpath") || strings.Contains(typ, "dotnotation") {
		return fmt.Sprintf("a FreshRSS %s scraper of a web page; brief reads RSS, Atom and JSON feeds (try brief add on the page)", typ), true
	}
	return "", false
}

// categories splits an OPML 2.0 category attribute ("tag one,/a/b") into
// tags; newsboat writes a feed's tags there.
func categories(s string) []string {
	var out []string
	for _, c := range strings.Split(s, ",") {
		if c = strings.Trim(strings.TrimSpace(c), "/"); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// attrs returns an element's attributes by lower-case local name.
func attrs(list []xml.Attr) map[string]string {
	m := make(map[string]string, len(list))
	for _, a := range list {
		k := strings.ToLower(a.Name.Local)
		if _, dup := m[k]; !dup {
			m[k] = a.Value
		}
	}
	return m
}

// rootMessage says what a document whose root element is name is, when it
// is not OPML.
func rootMessage(name string) string {
	switch name {
	case "html", "head", "body", "!doctype":
		return "subs: this is an HTML page, not an OPML file (an error page saved in place of the export?)"
	case "rss", "feed", "rdf":
		return "subs: this is a feed, not an OPML subscription list: add it with \"brief add URL\""
	}
	return fmt.Sprintf("subs: not an OPML file: the root element is <%s>", cut(name, 40))
}

// xmlError turns a decoder error into a message naming the line.
func xmlError(err error, seenRoot bool) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		what := "the OPML file is malformed"
		if !seenRoot {
			what = "not an OPML file (not well-formed XML)"
		}
		if strings.Contains(se.Msg, "unexpected EOF") {
			what = "the OPML file is truncated (it ends inside an element)"
			if !seenRoot {
				what = "not an OPML file (it ends before its first element)"
			}
		}
		return &notList{fmt.Sprintf("subs: line %d: %s: %s", se.Line, what, cut(se.Msg, 120))}
	}
	return fmt.Errorf("subs: reading the OPML file: %w", err)
}

// fixAmpersands escapes the bare & that exporters leave in URLs
// ("?a=1&b=2"), which would otherwise make the whole file unreadable XML.
func fixAmpersands(text []byte) []byte {
	if !bytes.Contains(text, []byte("&")) {
		return text
	}
	out := make([]byte, 0, len(text)+64)
	for i := 0; i < len(text); i++ {
		if text[i] == '&' && !isReference(text[i+1:]) {
			out = append(out, "&amp;"...)
			continue
		}
		out = append(out, text[i])
	}
	return out
}

// dropControls removes the C0 control characters other than tab and line
// breaks, which XML forbids and which would make the whole file unreadable.
func dropControls(text []byte) []byte {
	return bytes.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return -1
		}
		return r
	}, text)
}

// isReference reports whether b (what follows an &) starts with a character
// or entity reference: "#123;", "#x1F;" or "name;".
func isReference(b []byte) bool {
	i := 0
	digit := func(c byte) bool { return c >= '0' && c <= '9' }
	hex := func(c byte) bool { return digit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f') }
	letter := func(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
	ok := letter
	next := func(c byte) bool { return letter(c) || digit(c) }
	if len(b) > 0 && b[0] == '#' {
		i, ok, next = 1, digit, digit
		if len(b) > 1 && (b[1] == 'x' || b[1] == 'X') {
			i, ok, next = 2, hex, hex
		}
	}
	if i >= len(b) || !ok(b[i]) {
		return false
	}
	for i++; i < len(b) && i < 40 && next(b[i]); i++ {
	}
	return i < len(b) && b[i] == ';'
}

// cut shortens s to n bytes at a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
