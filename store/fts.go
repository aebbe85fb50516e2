package store

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// minPrefix is the shortest last word a search also matches as a prefix.
const minPrefix = 3

// words splits s into the words the FTS5 unicode61 tokenizer would index:
// runs of letters, digits and marks, lower-cased.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
}

// ftsQuery turns what a user typed into a safe FTS5 query: every word quoted
// (so no character can act as FTS5 syntax), all required; with prefixLast a
// last word of at least minPrefix letters also matches longer words (search
// as you type; shorter prefixes would match half the index). It returns ""
// when s has no words.
func ftsQuery(s string, prefixLast bool) string {
	ws := words(s)
	if len(ws) == 0 {
		return ""
	}
	var b strings.Builder
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quote(w))
	}
	if prefixLast && utf8.RuneCountInString(ws[len(ws)-1]) >= minPrefix {
		b.WriteByte('*')
	}
	return b.String()
}

// quote makes w an FTS5 string (a phrase of its tokens).
func quote(w string) string {
	return `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
}
