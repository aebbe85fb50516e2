package feed

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// corpusDir returns the shared corpus of real-world feeds. Without it the
// test is skipped on a developer's machine, but fails in CI (where the CI
// environment variable is set, as CI services do): there a missing corpus
// must not pass for a passing test.
func corpusDir(tb testing.TB) string {
	tb.Helper()
	return corpusAt(tb, filepath.Join("..", "..", "shared", "corpus"))
}

// corpusAt returns dir, or skips or fails the test (see corpusDir) when it
// does not exist.
func corpusAt(tb testing.TB, dir string) string {
	tb.Helper()
	if _, err := os.Stat(dir); err != nil {
		if inCI() {
			tb.Fatalf("corpus not available in CI (CI=%q): %v", os.Getenv("CI"), err)
		}
		tb.Skipf("corpus not available: %v", err)
	}
	return dir
}

// inCI reports whether the tests run in CI: the CI environment variable is
// set to anything but "", "0" or "false".
func inCI() bool {
	switch strings.ToLower(strings.TrimSpace(os.Getenv("CI"))) {
	case "", "0", "false", "no":
		return false
	}
	return true
}

// corpusFiles lists every file of the corpus, as paths relative to dir.
func corpusFiles(tb testing.TB, dir string) []string {
	tb.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, err := filepath.Rel(dir, path)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("walking the corpus: %v", err)
	}
	return files
}

// headerLine finds the Content-Type a feedparser test case says it is served
// with ("Header: Content-type: text/xml; charset=…" in its first comment).
var headerLine = regexp.MustCompile(`(?mi)^Header:\s*Content-type:\s*(.*?)\s*$`)

// corpusContentType returns the Content-Type to pass for a corpus file: the
// one a feedparser case names, else none.
func corpusContentType(rel string, body []byte) string {
	if !strings.HasPrefix(rel, "feedparser/") {
		return ""
	}
	head := body[:min(len(body), 1024)]
	if m := headerLine.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return ""
}

// parseResult is what Parse returned.
type parseResult struct {
	feed *Feed
	err  error
}

// parseWithin runs Parse and fails the test if it takes longer than limit or
// panics.
func parseWithin(t *testing.T, body []byte, contentType, feedURL string, limit time.Duration) parseResult {
	t.Helper()
	done := make(chan parseResult, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- parseResult{err: errPanicked}
			}
		}()
		f, err := Parse(body, contentType, feedURL)
		done <- parseResult{f, err}
	}()
	select {
	case r := <-done:
		if errors.Is(r.err, errPanicked) {
			t.Fatalf("Parse panicked")
		}
		return r
	case <-time.After(limit):
		t.Fatalf("Parse did not return within %v", limit)
	}
	return parseResult{}
}

var errPanicked = errors.New("panicked")

// TestCorpus parses every file of the shared corpus: each must parse or be
// refused with a "feed: " message, quickly and without panicking, and
// everything a parsed feed yields must be clean, valid UTF-8.
func TestCorpus(t *testing.T) {
	t.Parallel() // CPU-bound: runs beside the other corpus tests
	dir := corpusDir(t)
	files := corpusFiles(t, dir)
	var parsed, refused, items int
	var refusals []string
	for _, rel := range files {
		t.Run(rel, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
			if err != nil {
				t.Fatal(err)
			}
			ct := corpusContentType(rel, body)
			r := parseWithin(t, body, ct, "https://feeds.example.com/"+rel, 10*time.Second)
			if r.err != nil {
				refused++
				refusals = append(refusals, rel+": "+r.err.Error())
				if !strings.HasPrefix(r.err.Error(), "feed: ") {
					t.Errorf("error %q does not start with \"feed: \"", r.err)
				}
				return
			}
			parsed++
			items += len(r.feed.Items)
			checkFeedClean(t, r.feed, sourceHasReplacement(body))
		})
	}
	t.Logf("corpus: %d files, %d parsed (%d items), %d refused", len(files), parsed, items, refused)
	for _, r := range refusals {
		t.Logf("refused %s", r)
	}
	for _, rel := range mustParse {
		for _, r := range refusals {
			if strings.HasPrefix(r, rel+": ") {
				t.Errorf("real feed refused: %s", r)
			}
		}
	}
}

// mustParse are corpus files that look broken but are real feeds brief must
// read (a sample of the tricky ones; TestCorpus lists every refusal).
var mustParse = []string{
	"RSParser/Tests/RSParserTests/Resources/DaringFireball.rss", // Atom in a .rss file
	"RSParser/Tests/RSParserTests/Resources/allthis-partial.json",
	"RSParser/Tests/RSParserTests/Resources/donthitsave.xml",
	"RSParser/Tests/RSParserTests/Resources/kc0011.rss",
	"RSParser/Tests/RSParserTests/Resources/rose.json",
	"rss-parser/test/input/uolNoticias.rss",
	"feedjira/spec/sample_feeds/InvalidDateFormat.xml",
	"miniflux/internal/reader/encoding/testdata/invalid-prolog.xml",
	"feedparser/tests/encoding/utf-32le-autodetect.xml",
	"feedparser/tests/encoding/bozo_invalid-bytes-with-bom.xml",
	"feed-rs/feed-rs/fixture/rss2/rss_2.0_invalid_1.xml",
}

// sourceHasReplacement reports whether a feed file itself contains U+FFFD
// (raw, or as a character reference): then it may appear in the output.
func sourceHasReplacement(body []byte) bool {
	lower := bytes.ToLower(body)
	return bytes.Contains(body, []byte("\uFFFD")) || bytes.Contains(lower, []byte("65533")) ||
		bytes.Contains(lower, []byte("#xfffd"))
}

// checkFeedClean fails the test for any string of f that is not valid UTF-8,
// holds a control, bidirectional or invisible character, or (unless
// allowFFFD) U+FFFD.
func checkFeedClean(t *testing.T, f *Feed, allowFFFD bool) {
	t.Helper()
	check := func(what, s string, multiline bool) {
		t.Helper()
		if msg := unclean(s, multiline, allowFFFD); msg != "" {
			t.Errorf("%s %q: %s", what, truncate(s, 120), msg)
		}
	}
	check("feed title", f.Title, false)
	check("feed description", f.Description, false)
	check("site URL", f.SiteURL, false)
	for _, w := range f.Warnings {
		check("warning", w, false)
	}
	for i, it := range f.Items {
		check("key", it.Key, false)
		check("GUID", it.GUID, false)
		check("URL", it.URL, false)
		check("title", it.Title, false)
		check("author", it.Author, false)
		check("body text", it.Body.Text, true)
		check("body markdown", it.Body.Markdown, true)
		for _, l := range it.Body.Links {
			check("link text", l.Text, false)
			check("link URL", l.URL, false)
		}
		if it.Key == "" {
			t.Errorf("item %d has no key", i)
		}
		if it.Title == "" {
			t.Errorf("item %d (%s) has no title", i, it.Key)
		}
	}
}

// unclean says what is wrong with s for display, or "".
func unclean(s string, multiline, allowFFFD bool) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	for _, r := range s {
		switch {
		case multiline && (r == '\n' || r == '\t'):
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
			return "control character " + runeName(r)
		case r == utf8.RuneError && !allowFFFD:
			return "U+FFFD replacement character (mojibake)"
		case isInvisible(r):
			return "invisible or bidirectional character " + runeName(r)
		}
	}
	return ""
}

// runeName spells r as U+XXXX.
func runeName(r rune) string {
	const hex = "0123456789ABCDEF"
	b := []byte("U+0000")
	for i := 5; i >= 2; i-- {
		b[i] = hex[r&0xF]
		r >>= 4
	}
	return string(b)
}

// truncate shortens s for a failure message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// outcomeTB records whether a test helper skipped or failed the test.
type outcomeTB struct {
	testing.TB
	skipped, failed bool
}

func (o *outcomeTB) Helper() {}

func (o *outcomeTB) Skipf(string, ...any) {
	o.skipped = true
	runtime.Goexit()
}

func (o *outcomeTB) Fatalf(string, ...any) {
	o.failed = true
	runtime.Goexit()
}

// TestCorpusMissing checks that a missing corpus skips the corpus tests on
// a developer's machine and fails them in CI.
func TestCorpusMissing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-corpus")
	for _, tt := range []struct {
		ci         string
		wantFailed bool
	}{{"", false}, {"false", false}, {"0", false}, {"true", true}, {"1", true}} {
		t.Run("CI="+tt.ci, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			o := &outcomeTB{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				corpusAt(o, missing)
			}()
			<-done
			if o.failed != tt.wantFailed || o.skipped == tt.wantFailed {
				t.Errorf("failed %v, skipped %v; want failed %v", o.failed, o.skipped, tt.wantFailed)
			}
		})
	}
	o := &outcomeTB{TB: t}
	if dir := corpusAt(o, t.TempDir()); o.failed || o.skipped || dir == "" {
		t.Errorf("an existing corpus: failed %v, skipped %v", o.failed, o.skipped)
	}
}
