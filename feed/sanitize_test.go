package feed

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// attackCases are escape sequences and control characters that must never
// reach a terminal, with a name for each.
var attackCases = []struct{ name, seq string }{
	{"CSI clear screen", "\x1b[2J"},
	{"CSI cursor home", "\x1b[H"},
	{"CSI cursor move", "\x1b[10;20H"},
	{"CSI private mode", "\x1b[?1049h"},
	{"CSI SGR colon", "\x1b[38:2:255:0:0m"},
	{"OSC title BEL", "\x1b]0;pwned\x07"},
	{"OSC title ST", "\x1b]2;pwned\x1b\\"},
	{"OSC 8 hyperlink", "\x1b]8;;https://evil.example/\x1b\\"},
	{"OSC 52 clipboard", "\x1b]52;c;ZWNobyBwd25lZA==\x07"},
	{"DCS", "\x1bP+q544e\x1b\\"},
	{"APC", "\x1b_payload\x1b\\"},
	{"PM", "\x1b^payload\x1b\\"},
	{"SOS", "\x1bXpayload\x1b\\"},
	{"ESC reset", "\x1bc"},
	{"ESC save cursor", "\x1b7"},
	{"ESC charset", "\x1b(0"},
	{"ESC DEC test", "\x1b#8"},
	{"C1 CSI", "\u009b2J"},
	{"C1 OSC", "\u009d0;pwned\u009c"},
	{"C1 DCS", "\u0090payload\u009c"},
	{"C1 NEL", "\u0085"},
	{"BEL", "\x07"},
	{"BS", "\b\b\b"},
	{"NUL", "\x00"},
	{"DEL", "\x7f"},
	{"RLO", "\u202e"},
	{"LRO", "\u202d"},
	{"LRE", "\u202a"},
	{"PDF", "\u202c"},
	{"RLI", "\u2067"},
	{"PDI", "\u2069"},
	{"LRM", "\u200e"},
	{"RLM", "\u200f"},
	{"ALM", "\u061c"},
	{"ZWSP", "\u200b"},
	{"ZWNJ", "\u200c"},
	{"ZWJ", "\u200d"},
	{"WJ", "\u2060"},
	{"BOM", "\ufeff"},
	{"tag character", "\U000E0041"},
	{"cancel tag", "\U000E007F"},
	{"soft hyphen", "\u00ad"},
	{"combining grapheme joiner", "\u034f"},
	{"Hangul choseong filler", "\u115f"},
	{"Hangul jungseong filler", "\u1160"},
	{"Hangul filler", "\u3164"},
	{"halfwidth Hangul filler", "\uffa0"},
	{"Khmer inherent vowels", "\u17b4\u17b5"},
	{"Mongolian variation selectors", "\u180b\u180c\u180d\u180f"},
	{"Mongolian vowel separator", "\u180e"},
	{"invisible operators", "\u2061\u2062\u2063\u2064"},
	{"variation selector", "\ufe00"},
	{"emoji presentation selector", "\ufe0f"},
	{"variation selector supplement", "\U000E0100"},
	{"braille blank", "\u2800"},
	{"musical formatting", "\U0001D173"},
}

func TestCleanTextAttacks(t *testing.T) {
	for _, tc := range attackCases {
		t.Run(tc.name, func(t *testing.T) {
			in := "safe" + tc.seq + "text"
			if got, want := CleanText(in), "safetext"; got != want {
				t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
			}
			if got, want := CleanMultiline(in), "safetext"; got != want {
				t.Errorf("CleanMultiline(%q) = %q, want %q", in, got, want)
			}
			if got, want := SanitizeRendered(in), "safetext"; got != want {
				t.Errorf("SanitizeRendered(%q) = %q, want %q", in, got, want)
			}
		})
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Hello, world", "Hello, world"},
		{"empty", "", ""},
		{"spaces collapsed and trimmed", "  a \t b\n\n c  ", "a b c"},
		{"CR overwrite", "fake\rreal", "fake real"},
		{"CRLF", "one\r\ntwo", "one two"},
		{"SGR removed too", "\x1b[1;31mred\x1b[0m", "red"},
		{"OSC 8 keeps the visible text", "\x1b]8;;https://evil/\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"unterminated OSC swallows the rest", "title\x1b]0;rest of it", "title"},
		{"OSC cut short by a new ESC", "a\x1b]0;x\x1b[2Jb", "ab"},
		{"lone ESC at the end", "abc\x1b", "abc"},
		{"ESC [ at the end", "abc\x1b[", "abc"},
		{"CSI broken by a control", "a\x1b[12\nb", "a b"},
		{"raw 8-bit CSI byte is invalid UTF-8", "a\x9b2Jb", "a2Jb"},
		{"invalid UTF-8 dropped", "a\xff\xfeb", "ab"},
		{"truncated UTF-8", "ab\xe2\x82", "ab"},
		{"line separator", "a\u2028b", "a b"},
		{"no-break space collapsed", "a\u00a0\u00a0b", "a b"},
		{"vertical tab and form feed", "a\v\fb", "a b"},
		{"emoji kept", "ok 👍🏽", "ok 👍🏽"},
		{"Cyrillic kept", "Читайте також", "Читайте також"},
		{"Arabic kept, without overrides", "\u202eمرحبا\u202c", "مرحبا"},
		{"CJK kept", "新闻 标题", "新闻 标题"},
		{"combining marks kept", "e\u0301te\u0301", "e\u0301te\u0301"},
		{"emoji presentation selector dropped", "I \u2764\ufe0f it", "I \u2764 it"},
		{"title of fillers is empty", "\u3164\u115f\u2800\uffa0 \u00ad", ""},
		{"soft hyphens dropped", "Donau\u00addampf\u00adschiff", "Donaudampfschiff"},
		{"Hangul kept", "한국어 뉴스", "한국어 뉴스"},
		{"only controls", "\x1b[2J\x07\x00", ""},
		{"leading space", " x", "x"},
		{"double space", "a  b", "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CleanText(tt.in); got != tt.want {
				t.Errorf("CleanText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCleanMultiline(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"keeps newlines and tabs", "a\n\tb\n", "a\n\tb\n"},
		{"CRLF becomes LF", "a\r\nb", "a\nb"},
		{"lone CR becomes LF", "a\rb", "a\nb"},
		{"spacing kept", "a   b", "a   b"},
		{"escapes removed", "a\x1b[2J\nb\x07", "a\nb"},
		{"paragraph separator", "a\u2029b", "a\nb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CleanMultiline(tt.in); got != tt.want {
				t.Errorf("CleanMultiline(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSanitizeRendered(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"SGR kept", "\x1b[1;38;5;252mbold\x1b[0m", "\x1b[1;38;5;252mbold\x1b[0m"},
		{"empty SGR kept", "\x1b[mx", "\x1b[mx"},
		{"newlines and tabs kept", "a\n\tb", "a\n\tb"},
		{"CR dropped", "a\r\nb", "a\nb"},
		{"clear screen dropped", "\x1b[0ma\x1b[2Jb", "\x1b[0mab"},
		{"SGR with colons dropped", "\x1b[38:2::1:2:3mx", "x"},
		{"SGR with private marker dropped", "\x1b[?25lx", "x"},
		{"unterminated SGR dropped", "x\x1b[1;3", "x"},
		{"OSC 8 dropped, text kept", "\x1b]8;;http://e/\x07link\x1b]8;;\x07", "link"},
		{"C1 CSI dropped", "\u009b31mx", "x"},
		{"bidi dropped", "\x1b[1m\u202eabc\x1b[0m", "\x1b[1mabc\x1b[0m"},
		{"zero width dropped", "a\u200bb", "ab"},
		{"invalid UTF-8 dropped", "a\xc0b", "ab"},
		{"spaces kept", "  a  ", "  a  "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SanitizeRendered(tt.in); got != tt.want {
				t.Errorf("SanitizeRendered(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCleanIdempotent(t *testing.T) {
	for _, tc := range attackCases {
		for _, in := range []string{tc.seq, "x" + tc.seq + " y\n", tc.seq + tc.seq} {
			if once := CleanText(in); CleanText(once) != once {
				t.Errorf("CleanText is not idempotent on %q: %q then %q", in, once, CleanText(once))
			}
			if once := SanitizeRendered(in); SanitizeRendered(once) != once {
				t.Errorf("SanitizeRendered is not idempotent on %q: %q then %q", in, once, SanitizeRendered(once))
			}
		}
	}
}

// checkTerminalSafe fails the test when s holds invalid UTF-8, a control
// character other than the allowed ones, a C1 control or an invisible
// character.
func checkTerminalSafe(t *testing.T, what, s, allowed string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s is not valid UTF-8: %q", what, s)
	}
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f:
			if !strings.ContainsRune(allowed, r) {
				t.Errorf("%s holds control %U: %q", what, r, s)
				return
			}
		case r >= 0x80 && r <= 0x9f, isInvisible(r):
			t.Errorf("%s holds %U: %q", what, r, s)
			return
		}
	}
}

// checkOnlySGR fails the test when s holds an escape sequence other than
// SGR, or any control other than newline and tab.
func checkOnlySGR(t *testing.T, what, s string) {
	t.Helper()
	for i := 0; i < len(s); i++ {
		if s[i] != esc {
			continue
		}
		end, ok := sgrEnd(s, i)
		if !ok {
			t.Errorf("%s holds a non-SGR escape at byte %d: %q", what, i, s[i:min(len(s), i+20)])
			return
		}
		i = end - 1
	}
	checkTerminalSafe(t, what, stripSGR(s), "\n\t")
}

// stripSGR removes SGR sequences from s.
func stripSGR(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == esc {
			if end, ok := sgrEnd(s, i); ok {
				i = end - 1
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func BenchmarkCleanText(b *testing.B) {
	s := strings.Repeat("A plain title with some words, ", 10) + "\x1b[2J and a bit more."
	for b.Loop() {
		CleanText(s)
	}
}
