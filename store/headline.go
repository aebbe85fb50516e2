package store

import (
	"net/url"
	"strings"
	"unicode"

	"golang.org/x/net/publicsuffix"
)

// This file decides when a title-only "Read also" line names a cached
// article. A match is the same headline up to punctuation, quotes, dashes,
// case and a trailing source suffix ("… – Reuters", "… | Site"), or a clear
// near-duplicate of it (see nearHeadline); sharing words is not enough.

// headline is a title split into the words the FTS5 tokenizer indexes.
type headline struct {
	words     []string
	base      int  // words before a trailing source suffix; len(words) when there is none
	truncated bool // the title was cut ("…" or "..." at its end)
}

// maxSuffixWords is the longest trailing source suffix ("– Kyiv Post").
const maxSuffixWords = 4

// parseHeadline splits title into words and finds its source suffix: the
// text after the last dash or bar, when that is at most maxSuffixWords
// words without digits ("– poll", "| BBC News", not "– day 5") and at least
// three words come before it.
func parseHeadline(title string) headline {
	title = strings.TrimSpace(title)
	h := headline{words: words(title)}
	h.base = len(h.words)
	h.truncated = strings.HasSuffix(title, "…") || strings.HasSuffix(title, "...")
	i := strings.LastIndexAny(title, "–—|")
	if j := strings.LastIndex(title, " - "); j > i {
		i = j
	}
	if i < 0 {
		return h
	}
	before, after := words(title[:i]), words(title[i:])
	if len(after) == 0 || len(after) > maxSuffixWords || len(before) < 3 || len(before)+len(after) != len(h.words) {
		return h
	}
	for _, w := range after {
		if hasDigit(w) {
			return h
		}
	}
	h.base = len(before)
	return h
}

// key is the whole headline's words; stripped is the words before its
// source suffix.
func (h headline) key() string      { return strings.Join(h.words, " ") }
func (h headline) stripped() string { return strings.Join(h.words[:h.base], " ") }

// sameHeadline reports whether a and b are one headline: equal words, or
// equal once one of them (not both: "Live – Monday" is not "Live – Tuesday")
// loses its source suffix.
func sameHeadline(a, b headline) bool {
	if len(a.words) == 0 || len(b.words) == 0 {
		return false
	}
	ka, kb := a.key(), b.key()
	return ka == kb || (a.base < len(a.words) && a.stripped() == kb) || (b.base < len(b.words) && ka == b.stripped())
}

// minNearWords is the shortest headline a near-duplicate is accepted for:
// below that, one word more or less makes another headline.
const minNearWords = 6

// nearHeadline reports whether link (the title of a "Read also" line) is a
// clear near-duplicate of title: both at least minNearWords words long
// (without suffixes) and different in one place only, by at most one word
// on each side (two from 12 words), none of them a number ("day 5" is not
// "day 6"); or link was cut ("…") and title starts with its words.
func nearHeadline(link, title headline) bool {
	l, t := link.words[:link.base], title.words[:title.base]
	if link.truncated && len(l) >= minNearWords && len(t) >= len(l) {
		last := len(l) - 1
		for i := range last {
			if l[i] != t[i] {
				return false
			}
		}
		return strings.HasPrefix(t[last], l[last])
	}
	if min(len(l), len(t)) < minNearWords {
		return false
	}
	p := 0
	for p < len(l) && p < len(t) && l[p] == t[p] {
		p++
	}
	s := 0
	for s < len(l)-p && s < len(t)-p && l[len(l)-1-s] == t[len(t)-1-s] {
		s++
	}
	ml, mt := l[p:len(l)-s], t[p:len(t)-s]
	limit := 1
	if min(len(l), len(t)) >= 12 {
		limit = 2
	}
	if len(ml) > limit || len(mt) > limit || len(ml)+len(mt) == 0 {
		return false
	}
	for _, w := range append(append([]string{}, ml...), mt...) {
		if hasDigit(w) {
			return false
		}
	}
	return true
}

// hasDigit reports whether w holds a digit.
func hasDigit(w string) bool {
	return strings.ContainsFunc(w, unicode.IsDigit)
}

// siteOf is the site an address belongs to: its registrable domain
// (publicsuffix eTLD+1, "feeds.bbci.co.uk" → "bbci.co.uk"), else its host;
// "" when rawURL has none.
func siteOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return ""
	}
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return strings.TrimPrefix(host, "www.")
}
