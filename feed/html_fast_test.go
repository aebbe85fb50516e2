package feed

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"
)

// These tests hold the short cuts of ConvertHTML to what they replace: the
// plain-text short way to the whole pipeline, the hand-written scanners to
// the regular expressions they stand for.

// plainPieces are what randomPlain builds plain text from: words, spaces,
// line breaks and the punctuation the short way lets through ...
var plainPieces = []string{
	"word", "Other", "ministers", " ", " ", "  ", ". ", ", ", "1.", "12", " 34", ".", ")", "(", "-", "=", " - ",
	"(x) ", "’", "…", "—", "é", "日本", "€", "°", "\n", "\n", "\n\n", "\n  \n", "Read also: ", "Related", "!", "?",
	`"`, "'", "$", "%", "@", "^", "{", "}", "/", ":", ";", "\u0301", "١", "3", "7) ", "2. ", "See also",
	"More from", "ﬁ", "İ", "ß", "½", "™", "\r\n", "\r",
}

// ... and, now and then, characters that send it down the whole pipeline.
var plainRefused = []string{
	"\uFFFD", "\u00a0", "\u2028", "\t", "*", "#", "+", "_", "~", "|", "`", "[", "]", "&amp;", "&", "<", ">", "\\",
	"\x1b[2J", "\u200b", "\uFDD0", "\xff",
}

// randomPlain returns n random pieces of plain text.
func randomPlain(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		if r.IntN(30) == 0 {
			b.WriteString(plainRefused[r.IntN(len(plainRefused))])
		} else {
			b.WriteString(plainPieces[r.IntN(len(plainPieces))])
		}
	}
	return b.String()
}

func TestConvertPlainTextMatchesPipeline(t *testing.T) {
	inputs := []string{
		"A plain-text body.",
		"Ministers met on Tuesday; no decision (yet) was taken — the vote is “due” in 2025!",
		"Line one\nline two\n\nSecond para",
		"  spaced   out  \n\n\n  lines  ",
		"Version 2. Next 3.5 million 12 34. x",
		"1. not a list here",
		"12 34) neither",
		"- not a list",
		"a - b = c",
		"= heading underline",
		"Read also: a title only",
		"Related",
		"Café 日本 ½ € — ok?",
	}
	r := rand.New(rand.NewPCG(7, 11))
	for range 3000 {
		inputs = append(inputs, randomPlain(r, 1+r.IntN(20)))
	}
	fast := 0
	for _, in := range inputs {
		if strings.TrimSpace(in) == "" || looksLikeHTML(in) {
			continue
		}
		got, ok := convertPlainText(in)
		if !ok {
			continue
		}
		fast++
		want := convertMarkup(plainTextToHTML(in), testBase)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("convertPlainText(%q)\n got %#v\nwant %#v", in, got, want)
		}
	}
	t.Logf("%d of %d inputs took the short way", fast, len(inputs))
	if fast < 1000 {
		t.Errorf("only %d of %d inputs took the short way", fast, len(inputs))
	}
}

func TestConvertPlainTextRefuses(t *testing.T) {
	for _, in := range []string{
		"1. a list item", "12 34. also a list", "3) a list", "- item", "+ item", "* item", "# heading", "> quote",
		"a *b*", "a_b", "[x]", "a & b", "a < b", "a > b", "`code`", "a \\ b", "a ~ b", "a | b", "tab\there",
		"Read also: Other story", "Related", "no\u00a0break", "zero\u200bwidth", "esc\x1b[2J", "bad \xff byte",
		"line\u2028separator", "\uFDD0", "",
	} {
		if body, ok := convertPlainText(in); ok {
			t.Errorf("convertPlainText(%q) = %#v, want it to refuse", in, body)
		}
	}
}

func TestLooksLikeHTMLMatchesPattern(t *testing.T) {
	pattern := regexp.MustCompile(`<(?:/?[a-zA-Z][a-zA-Z0-9:-]*[\s/>]|!--|!DOCTYPE|!doctype)`)
	inputs := []string{"", "<", "a <3 b", "<p>", "</p>", "<br/>", "<a\thref=x>", "<a", "<x-y:z >", "<1a>", "<!-- c",
		"<!DOCTYPE html>", "<!doctype", "<!Doctype html>", "< p>", "<p\v>", "<p\f>", "x << y <b>", "<<p>", "</", "</ p>"}
	r := rand.New(rand.NewPCG(3, 5))
	pieces := []string{"<", "/", "!", "--", "DOCTYPE", "doctype", "p", "a1", ":", "-", " ", "\t", "\n", "\v", "\f", "\r", ">", "x", "1", "é"}
	for range 5000 {
		var b strings.Builder
		for range 1 + r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		inputs = append(inputs, b.String())
	}
	for _, in := range inputs {
		if got, want := looksLikeHTML(in), pattern.MatchString(in); got != want {
			t.Errorf("looksLikeHTML(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestRemovePlaceholdersMatchesPattern(t *testing.T) {
	pattern := regexp.MustCompile(` ?\x{FDD0}[0-9]*\x{FDD1}`)
	open, closing := string(markOpen), string(markClose)
	inputs := []string{"", "plain", "a " + open + "1" + closing, "a" + open + "12" + closing + "b", open + closing,
		"  " + open + "1" + closing + " " + open + "2" + closing, open + "1", "x " + open + "1x" + closing, closing + open,
		open + open + "3" + closing}
	r := rand.New(rand.NewPCG(5, 8))
	pieces := []string{open, closing, " ", "1", "23", "x", "é", "\n"}
	for range 5000 {
		var b strings.Builder
		for range 1 + r.IntN(10) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		inputs = append(inputs, b.String())
	}
	for _, in := range inputs {
		if got, want := removePlaceholders(in), pattern.ReplaceAllString(in, ""); got != want {
			t.Errorf("removePlaceholders(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestConvertHTMLConcurrent converts bodies from many goroutines at once (the
// converters and the sanitising policy are shared) and checks each result
// against a conversion done alone; run it with -race.
func TestConvertHTMLConcurrent(t *testing.T) {
	var inputs []string
	for i := range 20 {
		inputs = append(inputs, fmt.Sprintf(`<p>Story %d with <a href="/s/%d">a link</a> and <b>bold</b> text.</p><p>Read also: <a href="/r/%d">Other story %d</a></p>`, i, i, i, i),
			fmt.Sprintf("Plain summary number %d, without markup.", i))
	}
	want := make([]Body, len(inputs))
	for i, in := range inputs {
		want[i] = ConvertHTML(in, testBase)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 3 * len(inputs) {
				i := (g + k) % len(inputs)
				if got := ConvertHTML(inputs[i], testBase); !reflect.DeepEqual(got, want[i]) {
					t.Errorf("ConvertHTML(%q) from goroutine %d = %#v, want %#v", inputs[i], g, got, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
}

// matchMarkerReference is matchMarker without its first-letter check.
func matchMarkerReference(text string) (markerMatch, bool) {
	s := strings.TrimLeftFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	best, bestLen := "", -1
	for _, m := range ReadAlsoMarkers {
		m = strings.TrimRightFunc(m, isMarkerSeparator)
		if len(m) <= bestLen || m == "" {
			continue
		}
		rest, ok := cutPrefixFold(s, m)
		if !ok {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(rest); rest != "" && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			continue
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

func TestMatchMarkerMatchesReference(t *testing.T) {
	var inputs []string
	for _, m := range ReadAlsoMarkers {
		for _, v := range []string{m, strings.ToUpper(m), strings.ToLower(m), strings.ToTitle(m)} {
			inputs = append(inputs, v, v+": A title", "• "+v+" — x", v+"ness", " "+v+"\u00a0|\u00a0y", v[:len(v)/2])
		}
	}
	inputs = append(inputs, "", "   ", "ſee also: long s", "K\u212a", "ǅ title", "Σ", "ς", "ΐ", "123 Related", "-- Related")
	for _, in := range inputs {
		got, gotOK := matchMarker(in)
		want, wantOK := matchMarkerReference(in)
		if got != want || gotOK != wantOK {
			t.Errorf("matchMarker(%q) = %+v, %v; want %+v, %v", in, got, gotOK, want, wantOK)
		}
	}
}
