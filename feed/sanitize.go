package feed

import (
	stdhtml "html"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// This file makes untrusted text safe for a terminal. Everything that came
// from the network passes through CleanText or CleanMultiline after every
// decoding step, and the text glamour renders passes through SanitizeRendered
// before it is drawn. The Markdown that ConvertHTML writes is kept free of
// character references that a renderer would decode into controls
// (defuseReferences, at the end of this file).

// CleanText returns s as one line of display text: C0 and C1 control
// characters, DEL, every escape sequence (CSI, OSC, DCS, APC, PM, SOS and the
// short ESC forms, in their 7-bit and 8-bit spellings), bidirectional
// overrides, embeddings, isolates and marks, zero-width and other invisible
// format characters and invalid UTF-8 are removed; tabs, newlines and every
// other run of white space become a single space; the result is trimmed.
func CleanText(s string) string {
	if isCleanLine(s) {
		return s
	}
	return collapseSpace(strip(s, modeLine))
}

// CleanMultiline is CleanText for text of several lines, such as an article
// body: it removes the same characters and sequences but keeps newlines
// (CR LF and lone CR become LF) and tabs, and leaves spacing alone.
func CleanMultiline(s string) string {
	if isCleanMultiline(s) {
		return s
	}
	return strip(s, modeMultiline)
}

// SanitizeRendered is the last pass over text rendered for the terminal (the
// output of glamour): it keeps only SGR styling sequences (ESC [ digits and
// semicolons m), newlines and tabs, and drops every other escape sequence,
// control character, C1 control, bidirectional control, zero-width character
// and invalid UTF-8 byte.
func SanitizeRendered(s string) string {
	return strip(s, modeRendered)
}

// stripMode says what strip keeps.
type stripMode int

const (
	modeLine      stripMode = iota // no controls at all: \t \n \r become spaces
	modeMultiline                  // keep \n and \t; \r\n and \r become \n
	modeRendered                   // keep \n, \t and SGR sequences
)

const (
	esc = 0x1b
	bel = 0x07
)

// strip removes controls and escape sequences from s as described for the
// given mode.
func strip(s string, mode stripMode) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f { // printable ASCII: the common case
			b.WriteByte(c)
			i++
			continue
		}
		if c < utf8.RuneSelf {
			i = stripASCIIControl(&b, s, i, mode)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			i++ // invalid UTF-8: dropped (a lone 0x9b must not act as CSI)
			continue
		}
		switch {
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i+size)
		case r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f: // C1 OSC, DCS, SOS, PM, APC
			i = skipString(s, i+size)
		case r >= 0x80 && r <= 0x9f: // other C1 controls
			i += size
		case r == 0x2028 || r == 0x2029: // line and paragraph separators
			if mode == modeLine {
				b.WriteByte(' ')
			} else {
				b.WriteByte('\n')
			}
			i += size
		case isInvisible(r):
			i += size
		default:
			b.WriteString(s[i : i+size])
			i += size
		}
	}
	return b.String()
}

// stripASCIIControl handles the C0 control or DEL at s[i] and returns the
// index of the next byte to look at.
func stripASCIIControl(b *strings.Builder, s string, i int, mode stripMode) int {
	switch c := s[i]; c {
	case esc:
		if mode == modeRendered {
			if end, ok := sgrEnd(s, i); ok {
				b.WriteString(s[i:end])
				return end
			}
		}
		return skipEscape(s, i)
	case '\n', '\t':
		if mode == modeLine {
			b.WriteByte(' ')
		} else {
			b.WriteByte(c)
		}
	case '\r':
		switch {
		case mode == modeLine:
			b.WriteByte(' ')
		case mode == modeMultiline && !strings.HasPrefix(s[i+1:], "\n"):
			b.WriteByte('\n')
		}
	case '\v', '\f':
		if mode == modeLine {
			b.WriteByte(' ')
		} else if mode == modeMultiline {
			b.WriteByte('\n')
		}
	}
	// Every other C0 control (BEL, BS, NUL, …) and DEL are dropped.
	return i + 1
}

// sgrEnd reports whether an SGR sequence (ESC [ digits and ; m) starts at
// s[i], and where it ends.
func sgrEnd(s string, i int) (int, bool) {
	j := i + 1
	if j >= len(s) || s[j] != '[' {
		return 0, false
	}
	for j++; j < len(s); j++ {
		c := s[j]
		switch {
		case c >= '0' && c <= '9', c == ';':
		case c == 'm':
			return j + 1, true
		default:
			return 0, false
		}
	}
	return 0, false
}

// skipEscape returns the index just past the escape sequence that starts with
// the ESC at s[i].
func skipEscape(s string, i int) int {
	j := i + 1
	if j >= len(s) {
		return j
	}
	switch s[j] {
	case '[':
		return skipCSI(s, j+1)
	case ']', 'P', 'X', '^', '_': // OSC, DCS, SOS, PM, APC
		return skipString(s, j+1)
	}
	// nF sequences: ESC, intermediates 0x20–0x2F, one final byte 0x30–0x7E.
	for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
		j++
	}
	if j < len(s) && s[j] >= 0x30 && s[j] <= 0x7e {
		j++
	}
	return j
}

// skipCSI returns the index just past a control sequence whose parameters
// start at s[i]: parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F and
// one final byte 0x40–0x7E. A malformed sequence ends before the offending
// byte, which is then handled on its own.
func skipCSI(s string, i int) int {
	for i < len(s) && s[i] >= 0x30 && s[i] <= 0x3f {
		i++
	}
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipString returns the index just past a control string (OSC, DCS, SOS, PM,
// APC) whose payload starts at s[i]. The string ends at BEL, ST (ESC \ or
// U+009C) or, as a terminal would swallow it, at the end of s. An ESC that
// does not start ST ends the string too: the terminal would abort the string
// there and read a new sequence, which strip then removes.
func skipString(s string, i int) int {
	for i < len(s) {
		switch c := s[i]; {
		case c == bel:
			return i + 1
		case c == esc:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i
		case c == 0xc2 && i+1 < len(s) && s[i+1] == 0x9c: // U+009C ST
			return i + 2
		}
		i++
	}
	return i
}

// isInvisible reports whether r is a bidirectional control, a zero-width
// character or another character that shows nothing (or only changes how
// its neighbour looks) and could be used to spoof what a line appears to
// say or to make a title look empty. Variation selectors go too: an emoji
// without its presentation selector (U+FE0F) still shows.
func isInvisible(r rune) bool {
	if r < 0xad {
		return false
	}
	switch {
	case r == 0x00ad, // SOFT HYPHEN
		r == 0x034f,                  // COMBINING GRAPHEME JOINER
		r == 0x061c,                  // ARABIC LETTER MARK
		r == 0x115f || r == 0x1160,   // HANGUL CHOSEONG and JUNGSEONG FILLER
		r == 0x17b4 || r == 0x17b5,   // KHMER VOWEL INHERENT AQ and AA
		r >= 0x180b && r <= 0x180f,   // MONGOLIAN FREE VARIATION SELECTORS, VOWEL SEPARATOR
		r >= 0x200b && r <= 0x200f,   // ZWSP, ZWNJ, ZWJ, LRM, RLM
		r >= 0x202a && r <= 0x202e,   // LRE, RLE, PDF, LRO, RLO
		r >= 0x2060 && r <= 0x2064,   // WORD JOINER, invisible operators
		r >= 0x2066 && r <= 0x206f,   // LRI, RLI, FSI, PDI, deprecated format chars
		r == 0x2800,                  // BRAILLE PATTERN BLANK
		r == 0x3164,                  // HANGUL FILLER
		r >= 0xd800 && r <= 0xdfff,   // surrogates (never valid UTF-8, but be sure)
		r >= 0xfe00 && r <= 0xfe0f,   // VARIATION SELECTORS
		r == 0xfeff,                  // BOM / ZWNBSP
		r == 0xffa0,                  // HALFWIDTH HANGUL FILLER
		r >= 0xfff9 && r <= 0xfffb,   // interlinear annotation
		r >= 0x1d173 && r <= 0x1d17a, // MUSICAL SYMBOL BEGIN/END BEAM, TIE, SLUR, PHRASE
		r >= 0xe0000 && r <= 0xe007f, // tag characters
		r >= 0xe0100 && r <= 0xe01ef: // VARIATION SELECTORS SUPPLEMENT
		return true
	}
	return false
}

// isCleanLine reports whether CleanText would return s unchanged: valid
// UTF-8 without controls, invisible characters or white space other than
// single spaces between words.
func isCleanLine(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f || c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' ') {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isKeptRune(r, size) || unicode.IsSpace(r) {
			return false
		}
		i += size
	}
	return true
}

// isCleanMultiline reports whether CleanMultiline would return s unchanged:
// valid UTF-8 without controls (other than newlines and tabs), escape
// sequences, line separators or invisible characters.
func isCleanMultiline(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 || c == 0x7f) && c != '\n' && c != '\t' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isKeptRune(r, size) || r == 0x2028 || r == 0x2029 {
			return false
		}
		i += size
	}
	return true
}

// isKeptRune reports whether strip keeps the non-ASCII rune r, decoded from
// size bytes, as it is (line and paragraph separators aside).
func isKeptRune(r rune, size int) bool {
	return !(r == utf8.RuneError && size <= 1) && !(r >= 0x80 && r <= 0x9f) && !isInvisible(r)
}

// collapseSpace turns every run of white space in s into one space and trims
// both ends.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// defuseReferences escapes the "&" of every character reference in md that
// would decode into a control, invisible or bidirectional character (or a
// line break) when the Markdown is rendered, so that it shows as text.
// Renderers disagree on references: goldmark reads decimal ones of up to 7
// digits (with a leading 0 as octal), glamour runs Go's html.UnescapeString
// over the raw text (any number of digits, wrapping around on overflow, no
// semicolon needed, 128–159 through the windows-1252 table). A reference is
// kept only when every one of these readings is harmless.
func defuseReferences(md string) string {
	if !strings.Contains(md, "&") {
		return md
	}
	var b strings.Builder
	b.Grow(len(md))
	for i := 0; i < len(md); i++ {
		if md[i] == '&' {
			if ref := referenceAt(md[i:]); ref != "" && !isSafeReference(ref) {
				b.WriteString("&amp;")
				continue
			}
		}
		b.WriteByte(md[i])
	}
	return b.String()
}

// referenceAt returns the character reference (or what a lenient decoder
// could take for one) at the start of s, which starts with "&": "&#" with
// digits, or "&" with a name, and a ";" if there is one. It returns "" when
// there is none.
func referenceAt(s string) string {
	j := 1
	if j < len(s) && s[j] == '#' {
		j++
		if j < len(s) && (s[j] == 'x' || s[j] == 'X') {
			j++
		}
		for j < len(s) && isHex(s[j]) {
			j++
		}
	} else {
		for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
			j++
		}
	}
	if j == 1 {
		return ""
	}
	if j < len(s) && s[j] == ';' {
		j++
	}
	return s[:j]
}

// isSafeReference reports whether every reading of the reference ref
// decodes to harmless text.
func isSafeReference(ref string) bool {
	if !isSafeDecoded(stdhtml.UnescapeString(ref)) || !isSafeDecoded(html.UnescapeString(ref)) {
		return false
	}
	if decoded, ok := decodeReference(ref); ok && !isSafeDecoded(decoded) {
		return false
	}
	return true
}

// decodeReference decodes a character reference the way goldmark does:
// hexadecimal and decimal (up to 7 digits, a leading 0 meaning octal)
// references map straight to their code point (so &#155; is the C1 control
// CSI), and 0, surrogates and values past U+10FFFF become U+FFFD. It reports
// false when goldmark would not decode ref.
func decodeReference(ref string) (string, bool) {
	if len(ref) < 4 || ref[1] != '#' || ref[len(ref)-1] != ';' {
		return "", false
	}
	digits := ref[2 : len(ref)-1]
	var v uint64
	if digits[0] == 'x' || digits[0] == 'X' {
		v, _ = strconv.ParseUint(digits[1:], 16, 32)
	} else {
		if len(digits) >= 8 {
			return "", false
		}
		v, _ = strconv.ParseUint(digits, 0, 32)
	}
	r := rune(v)
	if r == 0 || !utf8.ValidRune(r) {
		r = utf8.RuneError
	}
	return string(r), true
}

// isSafeDecoded reports whether the text a character reference decodes to is
// harmless on a terminal and keeps the line structure.
func isSafeDecoded(s string) bool {
	return s == CleanMultiline(s) && !strings.ContainsAny(s, "\n\t") && !strings.ContainsFunc(s, isPlaceholder)
}
