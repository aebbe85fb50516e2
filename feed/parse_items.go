package feed

import (
	"bytes"
	"strings"
)

// This file finds the items (or entries) of an RSS, RDF or Atom document
// without parsing it, so that a damaged document can be read item by item
// (see salvage.go).

// itemChunk is one item (or entry) element of a document: doc[start:end].
type itemChunk struct {
	start, end int
	line       int  // the 1-based line of the document it starts on
	cutOff     bool // it runs to the end of the document without its end tag
}

// itemElement returns the name of the item elements of a feed whose root
// element is root: entry for Atom, item for RSS and RDF.
func itemElement(root string) string {
	if strings.EqualFold(localName(root), "feed") {
		return "entry"
	}
	return "item"
}

// localName returns name without its namespace prefix.
func localName(name string) string {
	if i := strings.LastIndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// splitItems finds the item elements (named item, with any prefix and in
// any case) of doc, whose root element is named root, and returns them in
// document order with the offset where the trailer after the last one
// starts. An item ends at its end tag, or, when that is missing, where the
// next item, the channel or the root element starts or ends, or at the end
// of doc (then it is cut off). Comments and CDATA sections are skipped; an
// unclosed one is taken for text, so that it does not hide the items after
// it. It takes time linear in the length of doc, whatever doc holds.
func splitItems(doc []byte, item, root string) (chunks []itemChunk, trailer int) {
	itemName, rootName, channel := []byte(item), []byte(root), []byte("channel")
	var sections sectionSkipper
	line, counted := 1, 0 // line is the line of doc[counted]
	open := false         // chunks[len(chunks)-1] has not ended yet
	end := func(at int) {
		chunks[len(chunks)-1].end = at
		open = false
	}
	for i := 0; i < len(doc); {
		j := bytes.IndexByte(doc[i:], '<')
		if j < 0 {
			break
		}
		i += j
		rest := doc[i:]
		if skip := sections.skip(rest); skip > 0 {
			i += skip
			continue
		}
		closing := len(rest) > 1 && rest[1] == '/'
		nameAt := 1
		if closing {
			nameAt = 2
		}
		local, n := tagName(rest[nameAt:])
		after := nameAt + n
		isItem := bytes.EqualFold(local, itemName)
		isContainer := bytes.EqualFold(local, channel) || bytes.EqualFold(local, rootName)
		switch {
		case n == 0:
			i++
		case closing && open && isItem:
			for after < len(rest) && isXMLSpace(rest[after]) {
				after++
			}
			if after < len(rest) && rest[after] == '>' {
				after++
			}
			end(i + after)
			i += after
		case closing && open && isContainer:
			end(i)
			i += after
		case !closing && after < len(rest) && isTagDelim(rest[after]) && (isItem || open && isContainer):
			if open {
				end(i)
			}
			if !isItem {
				i += after
				continue
			}
			line += bytes.Count(doc[counted:i], []byte("\n"))
			counted = i
			chunks = append(chunks, itemChunk{start: i, line: line})
			open = true
			tag := rest // up to the next '<', so that a tag without '>' costs no more than its length
			if lt := bytes.IndexByte(rest[1:], '<'); lt >= 0 {
				tag = rest[:lt+1]
			}
			if gt := bytes.IndexByte(tag, '>'); gt > 0 && tag[gt-1] == '/' { // <item/>
				end(i + gt + 1)
				i += gt + 1
				continue
			}
			i += after
		default:
			i += after
		}
	}
	if open {
		chunks[len(chunks)-1].end = len(doc)
		chunks[len(chunks)-1].cutOff = true
	}
	if len(chunks) == 0 {
		return nil, len(doc)
	}
	return chunks, chunks[len(chunks)-1].end
}

// sectionSkipper finds the ends of comments and CDATA sections. Once it
// knows that no "-->" (or "]]>") follows, it stops looking for one, so that
// a document of unclosed "<!--" costs linear time.
type sectionSkipper struct {
	unclosed [2]bool // no end of a comment, of a CDATA section, follows
}

// sectionDelims are the delimiters of comments and CDATA sections.
var sectionDelims = [2]struct{ open, close []byte }{
	{[]byte("<!--"), []byte("-->")},
	{[]byte("<![CDATA["), []byte("]]>")},
}

// skip returns the length of the comment or CDATA section at the start of
// b, or 0 when there is none or it is not closed.
func (s *sectionSkipper) skip(b []byte) int {
	for k, d := range sectionDelims {
		if !bytes.HasPrefix(b, d.open) {
			continue
		}
		if !s.unclosed[k] {
			if e := bytes.Index(b[len(d.open):], d.close); e >= 0 {
				return len(d.open) + e + len(d.close)
			}
			s.unclosed[k] = true
		}
		return 0
	}
	return 0
}

// tagName reads the element name at the start of b and returns its local
// part (without a prefix) and the length of the whole name.
func tagName(b []byte) ([]byte, int) {
	n, colon := 0, -1
	for n < len(b) && (isNameByte(b[n]) || b[n] == ':' || b[n] >= 0x80) {
		if b[n] == ':' {
			colon = n
		}
		n++
	}
	if n == 0 || !(b[0] >= 'a' && b[0] <= 'z' || b[0] >= 'A' && b[0] <= 'Z' || b[0] == '_' || b[0] >= 0x80) {
		return nil, 0
	}
	return b[colon+1 : n], n
}

// isTagDelim reports whether c may follow an element name in a start tag.
func isTagDelim(c byte) bool {
	return isXMLSpace(c) || c == '>' || c == '/'
}

// isXMLSpace reports whether c is XML white space.
func isXMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}
