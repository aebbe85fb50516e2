package feed

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ReadAlsoMarkers is the one list of phrases that introduce a "Read also"
// (related article) link. A paragraph, list item or line whose text starts
// with one of them, or a list under a heading that is one of them, holds
// "Read also" links. Matching ignores case, leading bullets and a trailing
// colon or dash, so each phrase is listed once, without punctuation. To
// support another language, add its phrases here.
var ReadAlsoMarkers = []string{
	// English
	"Read also", "Also read", "Read more", "See also", "Related", "Related articles",
	"Related stories", "Related story", "Related content", "Related coverage", "Related reading",
	"Related news", "Related posts", "Related links", "More on this story", "More on this topic",
	"Further reading", "You may also like", "You might also like", "Recommended reading",
	"Read next", "More from", "Don't miss", "Don’t miss",
	// Ukrainian
	"Читайте також", "Дивіться також", "Читайте ще", "Читайте більше", "Також читайте",
	"Дивіться ще", "Пов'язані новини", "Пов’язані новини", "Більше на тему",
	// Russian
	"Читайте также", "Смотрите также", "Читайте еще", "Читайте ещё", "Также читайте",
	"См. также", "По теме", "Похожие новости", "Связанные новости",
	// Polish
	"Czytaj także", "Czytaj też", "Zobacz też", "Zobacz także", "Przeczytaj też",
	"Przeczytaj także", "Polecamy",
	// German
	"Lesen Sie auch", "Lesen Sie mehr", "Mehr zum Thema", "Auch interessant", "Siehe auch",
	"Das könnte Sie auch interessieren",
	// French
	"Lire aussi", "À lire aussi", "A lire aussi", "Voir aussi", "Lire également",
	"À voir aussi", "Sur le même sujet",
	// Spanish
	"Leer también", "Lea también", "Ver también", "Lee también", "Te puede interesar",
	"Noticias relacionadas", "Relacionado", "Relacionados",
	// Italian
	"Leggi anche", "Vedi anche", "Leggi pure", "Potrebbe interessarti", "Articoli correlati",
	// Portuguese
	"Leia também", "Veja também", "Leia mais", "Saiba mais", "Relacionadas",
	// Dutch
	"Lees ook", "Zie ook", "Lees meer",
	// Czech and Slovak
	"Čtěte také", "Přečtěte si také", "Čítajte aj", "Prečítajte si aj",
}

// markerMatch is a marker found at the start of a line of text.
type markerMatch struct {
	rest      string // the text after the marker, separators and spaces
	separated bool   // a colon, dash or similar followed the marker
}

// matchMarker reports whether text starts with one of ReadAlsoMarkers (in
// any case, after leading bullets and punctuation, and followed by a word
// boundary), and returns the longest such match.
func matchMarker(text string) (markerMatch, bool) {
	s := strings.TrimLeftFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if s == "" {
		return markerMatch{}, false
	}
	// A marker can only match when its first letter is one of the case
	// variants of the first letter of s: check that before anything else.
	first, _ := utf8.DecodeRuneInString(s)
	var folds [4]rune
	nfolds := 0
	for f := first; nfolds < len(folds); {
		folds[nfolds] = f
		nfolds++
		if f = unicode.SimpleFold(f); f == first {
			break
		}
	}
	best, bestLen := "", -1
	for _, m := range ReadAlsoMarkers {
		if r, _ := utf8.DecodeRuneInString(m); nfolds < len(folds) && !slices.Contains(folds[:nfolds], r) {
			continue
		}
		m = strings.TrimRightFunc(m, isMarkerSeparator)
		if len(m) <= bestLen || m == "" {
			continue
		}
		rest, ok := cutPrefixFold(s, m)
		if !ok {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(rest); rest != "" && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			continue // "Related" must not match "Relatedness"
		}
		best, bestLen = rest, len(m)
	}
	if bestLen < 0 {
		return markerMatch{}, false
	}
	rest := strings.TrimLeftFunc(best, unicode.IsSpace)
	trimmed := strings.TrimLeftFunc(rest, func(r rune) bool { return isMarkerSeparator(r) || unicode.IsSpace(r) })
	return markerMatch{rest: trimmed, separated: trimmed != rest}, true
}

// isMarkerSeparator reports whether r may stand between a marker and the
// title it introduces.
func isMarkerSeparator(r rune) bool {
	switch r {
	case ':', '：', '-', '–', '—', '|', '»', '›', '>', '→', '·', '•', '/':
		return true
	}
	return false
}

// cutPrefixFold is strings.CutPrefix ignoring case (Unicode simple folding).
func cutPrefixFold(s, prefix string) (string, bool) {
	for _, pr := range prefix {
		if s == "" {
			return "", false
		}
		r, size := utf8.DecodeRuneInString(s)
		if r != pr && !equalFoldRune(r, pr) {
			return "", false
		}
		s = s[size:]
	}
	return s, true
}

// equalFoldRune reports whether a and b are the same letter in any case.
func equalFoldRune(a, b rune) bool {
	for f := unicode.SimpleFold(a); f != a; f = unicode.SimpleFold(f) {
		if f == b {
			return true
		}
	}
	return false
}
