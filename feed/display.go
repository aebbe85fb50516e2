package feed

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/net/idna"
)

// DisplayURL returns how the URL raw is shown on a terminal: the one path
// every URL or host takes to the screen (status line, messages, the "Read
// also" block, pick lists, the errors view). It works on the parsed URL, so
// that what url.Parse decodes (a host such as "x%C2%9B31m") cannot bring a
// control character back:
//
//   - a non-ASCII host is shown in its ASCII (punycode) form, so a
//     look-alike name shows as "xn--…";
//   - anywhere in the URL, control characters (C0, DEL, C1), bidirectional
//     controls, invisible and zero-width characters, tag characters, line and
//     paragraph separators, white space other than the space, noncharacters
//     and invalid UTF-8 are shown percent-encoded (a "%E2%80%AE" in a URL
//     stays as those nine characters);
//   - letters of any script in the path stay readable.
//
// A string that is not an absolute URL with a host is shown with the same
// encoding. The result is one line of printable text.
func DisplayURL(raw string) string {
	return displayURL(raw, true)
}

// DisplayHostPath is DisplayURL without the scheme and a leading "www.", as
// the status line shows where a link goes.
func DisplayHostPath(raw string) string {
	return displayURL(raw, false)
}

// displayURL is DisplayURL, with the scheme or without it and "www.".
func displayURL(raw string, scheme bool) string {
	s := strings.TrimSpace(raw)
	u, err := url.Parse(strings.ReplaceAll(s, `\`, "%5C"))
	if err != nil || u.Host == "" || u.Opaque != "" {
		return displayEscape(s)
	}
	var b strings.Builder
	host := displayHost(u)
	if scheme && u.Scheme != "" {
		b.WriteString(displayEscape(strings.ToLower(u.Scheme)))
		b.WriteString("://")
	} else if rest, ok := strings.CutPrefix(host, "www."); ok && strings.Contains(rest, ".") {
		host = rest
	}
	b.WriteString(host)
	b.WriteString(displayEscape(u.EscapedPath()))
	if u.RawQuery != "" || u.ForceQuery {
		b.WriteByte('?')
		b.WriteString(displayEscape(u.RawQuery))
	}
	if u.Fragment != "" {
		b.WriteByte('#')
		b.WriteString(displayEscape(u.EscapedFragment()))
	}
	return b.String()
}

// DisplayURLWidth is DisplayURL cut to at most width cells by taking out
// its middle ("news.example/2026/…/index.html"), which keeps the host and
// the end of the path, where links to one site differ.
func DisplayURLWidth(raw string, width int) string {
	d := DisplayURL(raw)
	if ansi.StringWidth(d) <= width {
		return d
	}
	// Keep the scheme and host whole when they leave room for the path.
	if i := strings.Index(d, "://"); i >= 0 {
		end := i + 3 + strings.IndexAny(d[i+3:]+"/", "/?#")
		if head := d[:end]; ansi.StringWidth(head)+12 <= width {
			return head + ElideMiddle(d[end:], width-ansi.StringWidth(head))
		}
	}
	return ElideMiddle(d, width)
}

// ElideMiddle cuts the one-line text s to w cells by taking out its middle
// ("Gen…ed 1"), keeping a little more of the end.
func ElideMiddle(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw <= w {
		return s
	}
	if w < 3 {
		return ansi.Truncate(s, max(w, 0), "")
	}
	head := (w - 1) / 2
	tail := w - 1 - head
	return ansi.Truncate(s, head, "") + "…" + ansi.TruncateLeft(s, sw-tail, "")
}

// displayHost returns the host (and port) of u for display: the decoded
// name in ASCII form, lower case; a name that has no ASCII form is shown
// percent-encoded.
func displayHost(u *url.URL) string {
	host, port := u.Hostname(), u.Port()
	if strings.Contains(host, ":") { // an IPv6 literal
		host = "[" + displayEscape(host) + "]"
	} else {
		host = strings.ToLower(host)
		if !isASCII(host) {
			if ascii, err := idna.Lookup.ToASCII(host); err == nil && isASCII(ascii) && badURLChar(ascii) == "" {
				host = ascii
			}
		}
		host = displayEscape(host)
	}
	if port != "" {
		host += ":" + displayEscape(port)
	}
	return host
}

// EscapeHidden is s with the characters DisplayURL would not show as they
// are percent-encoded, and nothing else changed: what a URL typed or pasted
// by the user becomes before it is shown in an input field.
func EscapeHidden(s string) string {
	return displayEscape(s)
}

// displayEscape percent-encodes the characters of s that must not reach
// the screen as they are (see DisplayURL).
func displayEscape(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x21 || c >= 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == ' ' || !hiddenInURL(r, size) {
			b.WriteString(s[i : i+size])
		} else {
			for k := i; k < i+size; k++ {
				b.WriteByte('%')
				b.WriteByte("0123456789ABCDEF"[s[k]>>4])
				b.WriteByte("0123456789ABCDEF"[s[k]&15])
			}
		}
		i += size
	}
	return b.String()
}

// hiddenInURL reports whether the rune r (size bytes of UTF-8) is not shown
// as it is in a URL: invalid UTF-8, controls, white space, invisible,
// bidirectional and format characters, tag characters, separators,
// noncharacters and unassigned or private-use code points.
func hiddenInURL(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size <= 1:
		return true
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return true
	case r < utf8.RuneSelf:
		return false
	case unicode.IsSpace(r), isInvisible(r), isPlaceholder(r) || r&0xfffe == 0xfffe:
		return true
	case unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Co, unicode.Cs):
		return true
	case !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S):
		return true // unassigned
	}
	return false
}
