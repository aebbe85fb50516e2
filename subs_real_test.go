package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/brief-reader/brief/internal/subs"
)

// sharedCorpus returns ../shared/corpus, skipping the test when it is
// missing, except under CI where that is a failure.
func sharedCorpus(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "shared", "corpus")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set and ../shared/corpus is missing: %v", err)
		}
		t.Skipf("../shared/corpus not found: %v", err)
	}
	return dir
}

// TestRealExports imports every OPML export of testdata/opml (written by
// other readers, see its README) and the OPML files of ../shared/corpus into
// a dotfile, and checks what each holds.
func TestRealExports(t *testing.T) {
	type want struct {
		feeds, skipped int
		tags           []string // tags of the first feed
		err            string   // a file that is no OPML
	}
	cases := map[string]want{
		"testdata/opml/netnewswire/DefaultFeeds.opml":                       {feeds: 16},
		"testdata/opml/virtualtam-opml-go/feedly.opml":                      {feeds: 5, tags: []string{"Programming"}},
		"testdata/opml/virtualtam-opml-go/newsblur.opml":                    {feeds: 5, tags: []string{"Security"}},
		"testdata/opml/rssant/inoreader.xml":                                {feeds: 3},
		"testdata/opml/rssant/stringer.opml":                                {feeds: 5},
		"testdata/opml/miniflux/mySubscriptions.opml":                       {feeds: 13},
		"testdata/opml/miniflux/rssowl.opml":                                {feeds: 3, tags: []string{"My Feeds", "Some Category"}},
		"testdata/opml/miniflux/bare-ampersand.opml":                        {feeds: 1, tags: []string{"Feed 1"}},
		"testdata/opml/miniflux/no-titles.opml":                             {feeds: 2},
		"testdata/opml/thunderbird/ThunderbirdFeeds.opml":                   {feeds: 38, tags: []string{"The Django weblog"}},
		"newsboat/test/data/example.opml":                                   {feeds: 7},
		"newsboat/test/data/example2.opml":                                  {feeds: 7},
		"newsboat/test/data/category.opml":                                  {feeds: 1, tags: []string{"tag one", "tag_two", "tag/three"}},
		"newsboat/test/data/filtered.opml":                                  {feeds: 2, tags: []string{"misc"}},
		"newsboat/test/data/piped.opml":                                     {feeds: 1, skipped: 1, tags: []string{"tagged"}},
		"newsboat/test/data/test-urls+.opml":                                {feeds: 4, tags: []string{"tag1", "tag2"}},
		"newsboat/test/data/body-element-missing.opml":                      {feeds: 0},
		"newsboat/test/data/opml-element-missing.opml":                      {err: "root element is <not-opml>"},
		"RSParser/Tests/RSParserTests/Resources/Subs.opml":                  {feeds: 205, skipped: 2}, // two feeds are in two folders
		"RSParser/Tests/RSParserTests/Resources/SubsNoTitleAttributes.opml": {feeds: 205, skipped: 2},
	}
	corpus := sharedCorpus(t)
	local, err := filepath.Glob("testdata/opml/*/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range local {
		base := filepath.Base(f)
		if base == "LICENSE.source" || base == "SOURCE" {
			continue
		}
		if _, ok := cases[filepath.ToSlash(f)]; !ok {
			t.Errorf("%s has no expectation in TestRealExports", f)
		}
	}
	for name, w := range cases {
		t.Run(name, func(t *testing.T) {
			path := name
			if !strings.HasPrefix(name, "testdata/") {
				path = filepath.Join(corpus, name)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			l, err := subs.Read(data)
			if w.err != "" {
				if err == nil || !strings.Contains(err.Error(), w.err) {
					t.Fatalf("got %v, want an error with %q", err, w.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Problems) > 0 {
				t.Fatalf("problems: %v", l.Problems)
			}
			if len(l.Entries) != w.feeds || len(l.Skipped) != w.skipped {
				t.Errorf("%d feeds, %d skipped (%v); want %d and %d", len(l.Entries), len(l.Skipped), l.Skipped, w.feeds, w.skipped)
			}
			if w.tags != nil && (len(l.Entries) == 0 || !slices.Equal(l.Entries[0].Tags, w.tags)) {
				t.Errorf("first feed %+v, want tags %q", l.Entries, w.tags)
			}
			dot := filepath.Join(t.TempDir(), "config.toml")
			if err := os.WriteFile(dot, []byte("# mine\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, errs, code := runCmd(t, "", "import", path, "--config", dot); code != 0 {
				t.Fatalf("import: %s", errs)
			}
			cfg, err := loadConfig(dot)
			if err != nil {
				t.Fatalf("the dotfile after the import does not load: %v", err)
			}
			if len(cfg.Feeds) != len(l.Entries) {
				t.Errorf("dotfile has %d feeds, want %d", len(cfg.Feeds), len(l.Entries))
			}
		})
	}
}
