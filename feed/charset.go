package feed

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// This file turns a feed body in any character encoding into UTF-8, the way a
// browser or Python's feedparser decides:
//
//  1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) wins;
//  2. then the pattern of zero bytes around the first characters, which gives
//     UTF-16 and UTF-32 away without a mark (XML 1.0, appendix F);
//  3. then the charset of the HTTP Content-Type, which overrides the XML
//     prolog (RFC 3023/7303). A text/xml type without a charset does not mean
//     US-ASCII here (RFC 7303 dropped that rule, and no feed means it): the
//     prolog decides;
//  4. then the encoding in the XML prolog;
//  5. then, with nothing (usable) declared: UTF-8 when the bytes are valid
//     UTF-8 (JSON Feed is always UTF-8), else a guess for Cyrillic, Greek
//     and CJK text (charset_guess.go), else windows-1252.
//
// A declaration is not trusted blindly: a legacy charset declared for bytes
// that are valid UTF-8 with non-ASCII characters is a mislabelled UTF-8 feed;
// UTF-8 declared for bytes that are not UTF-8 gives way to the next
// declaration; UTF-16/32 declared for bytes without the zero bytes of those
// encodings is ignored; unknown labels are ignored. WHATWG labels are used, so
// ISO-8859-1 and US-ASCII decode as windows-1252 and gb2312 as GBK.

// wideEncoding is a UTF-16 or UTF-32 variant with its WHATWG-style name.
type wideEncoding struct {
	name string
	enc  encoding.Encoding
}

var (
	utf16LE = wideEncoding{"utf-16le", unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)}
	utf16BE = wideEncoding{"utf-16be", unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)}
	utf32LE = wideEncoding{"utf-32le", utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM)}
	utf32BE = wideEncoding{"utf-32be", utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM)}
)

// toUTF8 returns body decoded to valid UTF-8 (without a byte-order mark) and
// the name of the charset it was read as.
func toUTF8(body []byte, contentType string) ([]byte, string) {
	if w, n := bomEncoding(body); n > 0 {
		if w.enc == nil { // UTF-8 BOM
			return repairUTF8(body[n:]), "utf-8"
		}
		return decodeWith(w.enc, body[n:]), w.name
	}
	if w, ok := sniffWide(body); ok {
		return decodeWith(w.enc, body), w.name
	}
	for _, label := range []string{httpCharset(contentType), prologEncoding(body)} {
		if out, name, ok := decodeDeclared(body, label); ok {
			return out, name
		}
	}
	if utf8.Valid(body) || mostlyUTF8(body) {
		return repairUTF8(body), "utf-8"
	}
	if enc, name := guessCharset(body); enc != nil {
		return decodeWith(enc, body), name
	}
	return decodeWith(charmap.Windows1252, body), "windows-1252"
}

// decodeDeclared decodes body as the declared charset label when that
// declaration is usable for these bytes (see the rules above).
func decodeDeclared(body []byte, label string) ([]byte, string, bool) {
	label = strings.ToLower(strings.Trim(label, " \t\"'"))
	if label == "" {
		return nil, "", false
	}
	if isWideLabel(label) {
		return nil, "", false // real UTF-16/32 was caught by sniffWide
	}
	enc, name := lookupCharset(label)
	switch {
	case enc == nil:
		return nil, "", false
	case name == "utf-8":
		if !utf8.Valid(body) {
			return nil, "", false // let the next declaration (or the guess) speak
		}
		return body, name, true
	case utf8.Valid(body) && hasNonASCII(body):
		return body, "utf-8", true // mislabelled UTF-8
	}
	return decodeWith(enc, body), name, true
}

// lookupCharset finds the encoding for a charset label, or nil.
func lookupCharset(label string) (encoding.Encoding, string) {
	if label == "utf8" || label == "utf-8" || label == "unicode-1-1-utf-8" {
		return encoding.Nop, "utf-8"
	}
	if enc, err := htmlindex.Get(label); err == nil {
		name, err := htmlindex.Name(enc)
		if err != nil || name == "replacement" {
			return nil, ""
		}
		if name == "utf-8" {
			return encoding.Nop, name
		}
		return enc, name
	}
	if enc, err := ianaindex.IANA.Encoding(label); err == nil && enc != nil {
		name, err := ianaindex.IANA.Name(enc)
		if err != nil {
			name = label
		}
		return enc, strings.ToLower(name)
	}
	return nil, ""
}

// isWideLabel reports whether label names a UTF-16 or UTF-32 variant.
func isWideLabel(label string) bool {
	l := strings.NewReplacer("-", "", "_", "").Replace(label)
	for _, p := range []string{"utf16", "utf32", "ucs2", "ucs4", "u16", "u32", "unicode"} {
		if strings.HasPrefix(l, p) && l != "unicode11utf8" {
			return true
		}
	}
	return false
}

// bomEncoding recognises a byte-order mark and returns the encoding it names
// (enc nil for UTF-8) and its length, or n == 0.
func bomEncoding(b []byte) (wideEncoding, int) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return wideEncoding{name: "utf-8"}, 3
	case bytes.HasPrefix(b, []byte{0x00, 0x00, 0xFE, 0xFF}):
		return utf32BE, 4
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE, 0x00, 0x00}):
		return utf32LE, 4
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return utf16BE, 2
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return utf16LE, 2
	}
	return wideEncoding{}, 0
}

// sniffWide recognises UTF-16 and UTF-32 without a byte-order mark from the
// zero bytes around the first (ASCII) character, such as '<' or '{'.
func sniffWide(b []byte) (wideEncoding, bool) {
	if len(b) < 4 {
		return wideEncoding{}, false
	}
	z := [4]bool{b[0] == 0, b[1] == 0, b[2] == 0, b[3] == 0}
	switch z {
	case [4]bool{true, true, true, false}:
		return utf32BE, true
	case [4]bool{false, true, true, true}:
		return utf32LE, true
	case [4]bool{true, false, true, false}:
		return utf16BE, true
	case [4]bool{false, true, false, true}:
		return utf16LE, true
	}
	return wideEncoding{}, false
}

// httpCharset returns the charset parameter of a Content-Type header value,
// tolerating the quoting and spacing real servers send (charset= 'us-ascii').
func httpCharset(contentType string) string {
	params := strings.Split(contentType, ";")
	for _, p := range params[1:] {
		k, v, ok := strings.Cut(p, "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "charset") {
			return strings.Trim(v, " \t\"'")
		}
	}
	return ""
}

// prologEncoding returns the encoding declared in the XML declaration at the
// start of b (after any white space), or "".
func prologEncoding(b []byte) string {
	b = bytes.TrimLeft(b, " \t\r\n")
	if !bytes.HasPrefix(b, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(b, []byte("?>"))
	if end < 0 || end > 512 {
		return ""
	}
	decl := b[:end]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return ""
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	q := rest[0]
	rest = rest[1:]
	j := bytes.IndexByte(rest, q)
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

// decodeWith decodes b with enc; bytes enc cannot decode become U+FFFD.
func decodeWith(enc encoding.Encoding, b []byte) []byte {
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return repairUTF8(b)
	}
	return bytes.TrimPrefix(repairUTF8(out), []byte("\uFEFF"))
}

// repairUTF8 returns b with every byte that is not part of valid UTF-8 read
// as windows-1252 instead (a feed that mixes UTF-8 with Latin-1 keeps its
// "España"). Valid input is returned as it is.
func repairUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	out := make([]byte, 0, len(b)+len(b)/8)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			out = utf8.AppendRune(out, charmap.Windows1252.DecodeByte(b[0]))
		} else {
			out = append(out, b[:size]...)
		}
		b = b[size:]
	}
	return out
}

// mostlyUTF8 reports whether b, which is not valid UTF-8, still holds more
// valid multi-byte UTF-8 sequences than stray bytes: a UTF-8 feed with a few
// bytes of something else pasted in.
func mostlyUTF8(b []byte) bool {
	valid, invalid := 0, 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && size == 1:
			invalid++
		case size > 1:
			valid++
		}
		b = b[size:]
	}
	return valid > invalid
}

// hasNonASCII reports whether b holds any byte outside ASCII.
func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}
