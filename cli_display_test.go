package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/internal/subs"
	"github.com/brief-reader/brief/store"
)

// checkPrinted fails when the text a command printed holds a control
// character (but the newline), an invalid UTF-8 byte or a character that
// hides or reorders text: bidi controls, invisible, format, tag and
// separator characters (private-use characters are left to CleanText).
func checkPrinted(t *testing.T, where, out string) {
	t.Helper()
	for i := 0; i < len(out); {
		r, size := utf8.DecodeRuneInString(out[i:])
		i += size
		if r == utf8.RuneError && size == 1 || r != '\n' && r != '\t' && unicode.IsControl(r) ||
			unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) {
			t.Errorf("%s: prints %U in %q", where, r, out)
		}
	}
}

// Every CLI message that names a URL shows it through feed.DisplayURL, with
// every hostile class (issue 12); brief search --json keeps it raw.
func TestCLIURLDisplay(t *testing.T) {
	ctx := context.Background()
	for class, raw := range feedtest.HostileURLs {
		t.Run(class, func(t *testing.T) {
			// brief remove and the "already subscribed" refusal.
			checkPrinted(t, "feed label", feedLabel(FeedConf{URL: raw}))
			checkPrinted(t, "feed label with title", feedLabel(FeedConf{URL: raw, Title: "T"}))

			// brief add: the page names several feeds.
			var out bytes.Buffer
			_, err := pickCandidate([]feed.Candidate{{URL: raw}, {URL: raw, Title: "T"}}, strings.NewReader("q\n"), &out)
			if err == nil {
				t.Fatal("q did not cancel")
			}
			checkPrinted(t, "pick list", out.String())

			// brief import --verbose: one to add, one already there.
			cfg := Config{Feeds: []FeedConf{{URL: raw + "x"}}}
			list := &subs.List{Format: "OPML", Entries: []subs.Entry{{URL: raw, Line: 1}, {URL: raw + "x", Line: 2}}}
			out.Reset()
			planImport(cfg, list).report(&out, list, subsArgs{verbose: true, dryRun: true}, "config.toml")
			if strings.Count(out.String(), "\n") < 3 {
				t.Fatalf("import --verbose: %q, want a line per entry and a summary", out.String())
			}
			checkPrinted(t, "import --verbose", out.String())

			// brief search: the text output; --json keeps the raw URL.
			h := searchHit{Title: "T", Feed: "F", Date: time.Now(), URL: raw}
			checkPrinted(t, "search", h.line())
			js, err := json.Marshal(h)
			if err != nil {
				t.Fatal(err)
			}
			rawJSON, err := json.Marshal(raw)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(js, append([]byte(`"url":`), rawJSON...)) {
				t.Errorf("search --json: %s, want the raw URL %s", js, rawJSON)
			}

			// brief account list, with a failed sync.
			st, err := store.Open(ctx, filepath.Join(t.TempDir(), "b.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				if err := st.Close(); err != nil {
					t.Error(err)
				}
			})
			if err := st.SyncAccounts(ctx, []store.AccountSpec{{Name: "home", Kind: "miniflux", URL: raw}}); err != nil {
				t.Fatal(err)
			}
			accts, err := st.Accounts(ctx)
			if err != nil || len(accts) != 1 {
				t.Fatalf("accounts %v, %v", accts, err)
			}
			if err := st.SetAccountError(ctx, accts[0].ID, "sync: "+raw, time.Now(), time.Time{}); err != nil {
				t.Fatal(err)
			}
			var errb bytes.Buffer
			out.Reset()
			if code := listAccounts(ctx, st, &out, &errb); code != 0 {
				t.Fatalf("account list: exit %d: %s", code, errb.String())
			}
			checkPrinted(t, "account list", out.String())
		})
	}
}
