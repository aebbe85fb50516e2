package feed

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// convertPlainText is the short way through ConvertHTML for plain text
// (without tags) made only of characters that none of the steps changes or
// escapes: letters, digits, marks, punctuation and symbols, spaces, and the
// ASCII punctuation that Markdown gives no meaning where it stands. Such
// text, without a "Read also" line, converts to itself: one paragraph per
// run of lines, lines trimmed, runs of spaces collapsed, and in the Markdown
// a hard break ("  \n") between the lines of a paragraph. It reports false
// when the text needs the whole pipeline (plainTextToHTML, sanitising,
// parsing, converting), which gives the same result, only slower.
func convertPlainText(s string) (Body, bool) {
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	var md, text strings.Builder
	md.Grow(len(s))
	text.Grow(len(s))
	inPara := false // a line of the current paragraph was written
	blank := false  // a blank line came after the last line written
	var line []byte
	for rest := s; rest != ""; {
		raw, after, _ := strings.Cut(rest, "\n")
		rest = after
		var ok bool
		if line, ok = inertLine(line[:0], raw); !ok {
			return Body{}, false
		}
		if len(line) == 0 {
			blank = true
			continue
		}
		if _, marker := matchMarker(string(line)); marker {
			return Body{}, false
		}
		switch {
		case inPara && blank:
			md.WriteString("\n\n")
			text.WriteString("\n\n")
		case inPara:
			md.WriteString("  \n")
			text.WriteByte('\n')
		}
		md.Write(line)
		text.Write(line)
		inPara, blank = true, false
	}
	if !inPara {
		return Body{}, false
	}
	return Body{Markdown: md.String(), Text: text.String()}, true
}

// inertLine appends the line raw to dst trimmed and with runs of spaces
// collapsed, and reports whether every character of it is inert (see
// convertPlainText): the only white space is the space, and no character
// could be read as Markdown syntax where it stands.
func inertLine(dst []byte, raw string) ([]byte, bool) {
	raw = strings.Trim(raw, " ")
	numbered := true // the line so far is digits and spaces, as "1." of a list starts
	for i := 0; i < len(raw); {
		c := raw[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(raw[i:])
			if !isInertRune(r) {
				return dst, false
			}
			dst = append(dst, raw[i:i+size]...)
			numbered = false
			i += size
			continue
		}
		switch {
		case c == ' ':
			if raw[i-1] != ' ' { // raw is trimmed: i > 0
				dst = append(dst, ' ')
			}
		case c >= '0' && c <= '9':
			dst = append(dst, c)
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', strings.IndexByte(`,;:?!"'(/%@$^{}`, c) >= 0:
			dst = append(dst, c)
			numbered = false
		case c == '.' || c == ')':
			if numbered && i > 0 && raw[i-1] >= '0' && raw[i-1] <= '9' {
				return dst, false // "1." or "1)" would start a list
			}
			dst = append(dst, c)
			numbered = false
		case c == '-' || c == '=':
			if i == 0 {
				return dst, false // a list item, rule or heading underline
			}
			dst = append(dst, c)
			numbered = false
		default: // controls, tabs, and & < > * _ # + [ ] \ ` | ~
			return dst, false
		}
		i++
	}
	return dst, true
}

// isInertRune reports whether the non-ASCII rune r is a letter, mark, digit,
// punctuation or symbol that no cleaning step removes or changes. U+FFFD
// (also what an invalid byte decodes to) is not.
func isInertRune(r rune) bool {
	if r == utf8.RuneError || isPlaceholder(r) || isInvisible(r) {
		return false
	}
	return unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S)
}
