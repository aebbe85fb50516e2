package feed

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// This file repairs mojibake: UTF-8 text that was once decoded as
// windows-1252 or ISO-8859-1 somewhere on its way into a feed.

// c1Windows1252 maps the C1 control characters U+0080–U+009F to the
// characters windows-1252 puts at those bytes; 0 means undefined there.
var c1Windows1252 = func() [32]rune {
	var t [32]rune
	for i := range t {
		r := charmap.Windows1252.DecodeByte(byte(0x80 + i))
		if r != utf8.RuneError && r >= 0xA0 {
			t[i] = r
		}
	}
	return t
}()

// continuationByte maps each character that windows-1252 (or ISO-8859-1,
// for C1 controls) writes as a byte 0x80–0xBF to that byte: the characters
// that UTF-8 continuation bytes turn into when UTF-8 is misread.
var continuationByte = func() map[rune]byte {
	m := make(map[rune]byte, 0x60)
	for b := 0x80; b <= 0xBF; b++ {
		m[rune(b)] = byte(b)
		m[charmap.Windows1252.DecodeByte(byte(b))] = byte(b)
	}
	return m
}()

// repairText repairs the mojibake that UTF-8 read as windows-1252 or
// ISO-8859-1 leaves, where it cannot be real text: "Ã©" → "é", "Â " → a
// no-break space, "â€™" → "’", "â€¦" → "…" (two-byte sequences led by Ã or
// Â, and three-byte sequences led by â that spell punctuation and symbols
// U+2000–U+21FF). It also turns C1 control characters, which no real text
// contains, into the windows-1252 characters they stand for ("don\u0092t" →
// "don’t"), except CSI (U+009B) and those windows-1252 leaves undefined
// (such as OSC, U+009D): they are left for CleanText, which removes the
// whole escape sequence they start.
//
// Control strings are left alone, terminator included: one started by DCS
// or OSC (U+0090, U+009D), and one started by SOS, PM or APC (U+0098,
// U+009E, U+009F, which windows-1252 reads as "˜", "ž" and "Ÿ") when a
// terminator (ST U+009C, BEL or ESC) follows; otherwise ST would become "œ"
// and CleanText would take the rest of the text for the string's payload,
// or the payload would show as text. Other text is returned as it is.
func repairText(s string) string {
	if !mayNeedRepair(s) {
		return s
	}
	runes := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		if end := controlStringEnd(runes, i); end > i {
			for _, c := range runes[i:end] {
				b.WriteRune(c)
			}
			i = end - 1
			continue
		}
		if n, fixed := misreadUTF8(runes[i:]); n > 0 {
			b.WriteRune(fixed)
			i += n - 1
			continue
		}
		if r >= 0x80 && r <= 0x9F && r != 0x9B {
			if m := c1Windows1252[r-0x80]; m != 0 {
				b.WriteRune(m)
				continue
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// controlStringEnd returns the index just past the control string (see
// repairText) that starts at rs[i], up to and including its terminator ST
// or BEL (an ESC is left out: it starts what follows), or the end of rs when
// it has none; it returns i when no control string starts there.
func controlStringEnd(rs []rune, i int) int {
	switch rs[i] {
	case 0x90, 0x9D, 0x98, 0x9E, 0x9F:
	default:
		return i
	}
	for j := i + 1; j < len(rs); j++ {
		switch rs[j] {
		case 0x9C, bel:
			return j + 1
		case esc:
			return j
		}
	}
	if rs[i] == 0x90 || rs[i] == 0x9D {
		return len(rs)
	}
	return i // "ž" in mojibake, not the start of a string
}

// misreadUTF8 recognises, at the start of rs, one UTF-8 sequence that was
// misread as windows-1252 and returns how many runes it spans and what it
// should have been; n is 0 when there is none.
func misreadUTF8(rs []rune) (n int, fixed rune) {
	var lead byte
	switch rs[0] {
	case 'Ã':
		lead, n = 0xC3, 2
	case 'Â':
		lead, n = 0xC2, 2
	case 'â':
		lead, n = 0xE2, 3
	default:
		return 0, 0
	}
	if len(rs) < n {
		return 0, 0
	}
	seq := []byte{lead}
	for _, r := range rs[1:n] {
		c, ok := continuationByte[r]
		if !ok {
			return 0, 0
		}
		seq = append(seq, c)
	}
	fixed, size := utf8.DecodeRune(seq)
	switch {
	case size != n, fixed >= 0x80 && fixed <= 0x9F:
		return 0, 0
	case n == 3 && (fixed < 0x2000 || fixed > 0x21FF):
		return 0, 0
	}
	return n, fixed
}

// mayNeedRepair reports whether s contains Ã, Â, â (C3 83, C3 82, C3 A2 in
// UTF-8) or a C1 control (C2 80 – C2 9F): what repairText looks for.
func mayNeedRepair(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		switch s[i] {
		case 0xC3:
			if c := s[i+1]; c == 0x83 || c == 0x82 || c == 0xA2 {
				return true
			}
		case 0xC2:
			if c := s[i+1]; c >= 0x80 && c <= 0x9F {
				return true
			}
		}
	}
	return false
}
