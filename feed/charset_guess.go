package feed

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// This file guesses the charset of a feed that declares none and is not
// UTF-8. Western text read as windows-1252 is the fallback; the guess only
// has to spot text that windows-1252 would turn into mojibake ("Ëåíòà" for
// "Лента"). The statistical detector (chardet) is asked first, but on the
// short texts of a feed it is often unsure of the right answer (Cyrillic at
// a confidence of 46 out of 100), so its answer is checked, and Cyrillic
// candidates are compared, by what the decoded text looks like: letters of
// one script, in words cased as words are.

// guessSample is how much of a body the guess looks at.
const guessSample = 64 << 10

// guessCharset returns the legacy charset undeclared, non-UTF-8 bytes are
// in, or nil for the windows-1252 fallback. A confident answer of the
// detector for a script that windows-1252 would garble (Cyrillic, Greek,
// CJK …) is taken when the text it decodes to is plausible; a less confident
// one, or windows-1251 or KOI8-R, only when the text read as windows-1252
// looks like mojibake (most of its non-ASCII bytes in runs of four or more)
// and the decoded text is plausible. Between Cyrillic charsets the one whose
// text looks most like Russian or Ukrainian wins.
func guessCharset(body []byte) (encoding.Encoding, string) {
	if len(body) > guessSample {
		body = body[:guessSample]
	}
	text := textOfMarkup(body)
	if !hasNonASCII(text) {
		return nil, ""
	}
	garbled := longHighRuns(text)
	var cands []charsetCandidate
	seen := map[string]bool{}
	add := func(enc encoding.Encoding, name string) {
		if enc != nil && name != "utf-8" && !isWideLabel(name) && !seen[name] { // real UTF-16/32 was caught before
			seen[name] = true
			cands = append(cands, charsetCandidate{enc: enc, name: name})
		}
	}
	results, err := chardet.NewTextDetector().DetectAll(text)
	if err != nil {
		results = nil
	}
	top := true                 // r is the detector's first answer for a non-Western charset
	for _, r := range results { // most confident first
		if isWesternCharset(r.Charset) {
			continue
		}
		// Below 50 only the first answer counts, and only when the detector
		// prefers it: on a few words it often rates four charsets alike.
		tied := slices.ContainsFunc(results, func(o chardet.Result) bool {
			return o.Charset != r.Charset && o.Confidence == r.Confidence && !isWesternCharset(o.Charset)
		})
		if r.Confidence >= 50 || garbled && top && !tied {
			add(lookupCharset(strings.ToLower(r.Charset)))
		}
		top = false
	}
	if garbled {
		add(charmap.Windows1251, "windows-1251")
		add(charmap.KOI8R, "koi8-r")
	}
	var best *charsetCandidate
	for i := range cands {
		c := &cands[i]
		c.stats = scriptStats(decodeWith(c.enc, text))
		if c.stats.plausible() && (best == nil || c.stats.better(best.stats)) {
			best = c
		}
	}
	if best == nil {
		return nil, ""
	}
	return best.enc, best.name
}

// charsetCandidate is a charset the guess considers.
type charsetCandidate struct {
	enc   encoding.Encoding
	name  string
	stats textStats
}

// isWesternCharset reports whether chardet's answer is a charset for Latin
// text, which the windows-1252 fallback reads well enough (or UTF-8).
func isWesternCharset(name string) bool {
	switch strings.ToLower(name) {
	case "iso-8859-1", "windows-1252", "iso-8859-2", "windows-1250", "iso-8859-9", "utf-8":
		return true
	}
	return false
}

// textOfMarkup returns the text between the tags of an XML or HTML
// document: the markup, which is ASCII, only dilutes what the detector
// counts.
func textOfMarkup(doc []byte) []byte {
	out := make([]byte, 0, len(doc)/2)
	for len(doc) > 0 {
		i := bytes.IndexByte(doc, '<')
		if i < 0 {
			return append(out, doc...)
		}
		out = append(out, doc[:i]...)
		j := bytes.IndexByte(doc[i:], '>')
		if j < 0 {
			return out
		}
		out = append(out, ' ')
		doc = doc[i+j+1:]
	}
	return out
}

// longHighRuns reports whether most bytes of b that are not ASCII stand in
// runs of four or more: words of a non-Latin script in a legacy charset. In
// Western text they stand alone or in pairs between ASCII letters ("ação").
func longHighRuns(b []byte) bool {
	high, inRuns, run := 0, 0, 0
	for i := 0; i <= len(b); i++ {
		if i < len(b) && b[i] >= utf8.RuneSelf {
			high++
			run++
			continue
		}
		if run >= 4 {
			inRuns += run
		}
		run = 0
	}
	return high > 0 && 2*inRuns > high
}

// textStats describes what a decoded text looks like.
type textStats struct {
	script  *unicode.RangeTable // the script most of its non-ASCII letters are in
	good    int                 // letters of that script in words of that script only, cased as words are
	foreign int                 // other non-ASCII letters, symbols, replacement characters and controls
	typical float64             // for Cyrillic: how common in Russian and Ukrainian its good letters are
}

// plausible reports whether the text is made of words of one script other
// than Latin: at least four in five of its non-ASCII letters and symbols
// (punctuation aside).
func (s textStats) plausible() bool {
	return s.script != nil && s.script != unicode.Latin && s.good >= 2 && s.good >= 4*s.foreign
}

// share is the part of the non-ASCII letters and symbols that are good.
func (s textStats) share() float64 { return float64(s.good) / float64(s.good+s.foreign) }

// better reports whether s, of a candidate later in the list, looks more
// like real text than t: clearly more of it is good, or as much is and it
// is Cyrillic made of more common letters (which tells windows-1251 from
// KOI8-R in all-capitals text). Otherwise the earlier candidate, which the
// detector was surer of, stays.
func (s textStats) better(t textStats) bool {
	if d := s.share() - t.share(); d > 0.05 || d < -0.05 {
		return d > 0
	}
	return s.script == unicode.Cyrillic && t.script == unicode.Cyrillic &&
		s.typical/float64(s.good) > t.typical/float64(t.good)
}

// guessScripts are the scripts scriptStats tells apart; letters of others
// count as foreign.
var guessScripts = []*unicode.RangeTable{unicode.Latin, unicode.Cyrillic, unicode.Greek, unicode.Arabic,
	unicode.Hebrew, unicode.Thai, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul}

// scriptOf returns the script of the letter r among guessScripts (Japanese
// kana and Hangul count as Han: they mix in CJK text), or nil.
func scriptOf(r rune) *unicode.RangeTable {
	for _, t := range guessScripts {
		if unicode.Is(t, r) {
			if t == unicode.Hiragana || t == unicode.Katakana || t == unicode.Hangul {
				return unicode.Han
			}
			return t
		}
	}
	return nil
}

// scriptStats looks at the words (runs of letters) of b.
func scriptStats(b []byte) textStats {
	s := string(b)
	perScript := map[*unicode.RangeTable]*textStats{}
	foreign := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		if !unicode.IsLetter(r) {
			if r >= utf8.RuneSelf && !unicode.IsPunct(r) && !unicode.IsSpace(r) && !unicode.IsDigit(r) {
				foreign++ // a symbol, control, replacement character …
			}
			s = s[size:]
			continue
		}
		end := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) })
		if end < 0 {
			end = len(s)
		}
		word := s[:end]
		s = s[end:]
		script, n, ok := wordScript(word)
		if !ok || script == nil {
			foreign += n
			continue
		}
		ps := perScript[script]
		if ps == nil {
			ps = &textStats{script: script}
			perScript[script] = ps
		}
		for _, r := range word {
			if r >= utf8.RuneSelf {
				ps.good++
				ps.typical += cyrillicFrequency[unicode.ToLower(r)]
			}
		}
	}
	var st textStats
	total := foreign
	for _, ps := range perScript {
		total += ps.good
		if ps.good > st.good {
			st = *ps
		}
	}
	st.foreign = total - st.good
	return st
}

// wordScript returns the script of a word, how many of its runes are not
// ASCII, and whether it is a well-formed word: all its letters of one script
// (letters common to all scripts, such as the Japanese prolonged sound mark,
// fit any), and, in a script with case, all lower case, all upper case, or
// capitalised.
func wordScript(word string) (script *unicode.RangeTable, nonASCII int, ok bool) {
	ok = true
	upper, lower, first := 0, 0, true
	capitalised := false
	for _, r := range word {
		if r >= utf8.RuneSelf {
			nonASCII++
		}
		if !unicode.IsLetter(r) {
			continue
		}
		switch sc := scriptOf(r); {
		case sc == nil:
		case script == nil:
			script = sc
		case sc != script:
			ok = false
		}
		switch {
		case unicode.IsUpper(r):
			upper++
			capitalised = capitalised || first
		case unicode.IsLower(r):
			lower++
		}
		first = false
	}
	if upper > 0 && lower > 0 && !(upper == 1 && capitalised) {
		ok = false
	}
	return script, nonASCII, ok
}

// cyrillicFrequency is how often each lower-case letter occurs in Russian
// and Ukrainian text (a rough blend): correctly decoded Cyrillic text is
// made mostly of the common ones, text decoded with the wrong Cyrillic
// charset of its rarer ones.
var cyrillicFrequency = map[rune]float64{
	'о': .11, 'е': .085, 'а': .08, 'и': .07, 'н': .067, 'т': .063, 'с': .055, 'р': .047, 'в': .045,
	'л': .044, 'к': .035, 'м': .032, 'д': .03, 'п': .028, 'у': .026, 'і': .025, 'я': .02, 'ы': .019,
	'ь': .017, 'г': .017, 'з': .017, 'б': .016, 'ч': .014, 'й': .012, 'х': .01, 'ж': .009, 'ш': .007,
	'ї': .006, 'ю': .006, 'ц': .005, 'є': .004, 'щ': .004, 'э': .003, 'ф': .003, 'ґ': .001, 'ё': .001, 'ъ': .001,
}
