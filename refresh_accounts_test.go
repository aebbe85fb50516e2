package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/internal/minifluxtest"
	"github.com/brief-reader/brief/store"
)

func TestMain(m *testing.M) { minifluxtest.Main(m) }

// writeAccountDotfile writes a dotfile with one local feed and the given accounts.
func writeAccountDotfile(t *testing.T, localFeed string, accounts string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	body := fmt.Sprintf("refresh_on_start = false\ntimeout = \"5s\"\n[[feed]]\nurl = %q\n%s", localFeed, accounts)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func addServerFeed(t *testing.T, srv *minifluxtest.Server, user, feedURL string) {
	t.Helper()
	if err := srv.Subscribe(context.Background(), user, minifluxtest.Password(user), feedURL, "All"); err != nil {
		t.Fatal(err)
	}
}

// Issue 7, "When" and test 4: brief refresh syncs the accounts and refreshes
// the local feeds in one run and names the accounts in its summary; an
// account that fails (wrong password, wrong url, 500, a hang, an HTML page,
// a rate limit) is named with a clear reason, leaves the cache as it was,
// and the local feed is refreshed all the same.
func TestRefreshSyncsAccounts(t *testing.T) {
	srv := minifluxtest.Require(t)
	ctx := context.Background()
	if err := srv.NewUser(ctx, "cli"); err != nil {
		t.Fatal(err)
	}
	fs := feedtest.New(t)
	fs.Set("/local.xml", feedtest.RSS("Local", fs.URL(""), feedtest.Generate(fs.URL(""), 1, 3)), "")
	fs.Set("/remote.xml", feedtest.RSS("Remote", fs.URL(""), feedtest.Generate(fs.URL(""), 2, 7)), "")
	addServerFeed(t, srv, "cli", fs.URL("/remote.xml"))

	db := filepath.Join(t.TempDir(), "brief.db")
	good := fmt.Sprintf("[[account]]\nname = \"home\"\nkind = \"miniflux\"\nurl = %q\nusername = \"cli\"\npassword_command = \"echo %s\"\n",
		srv.URL, minifluxtest.Password("cli"))
	var out, errOut bytes.Buffer
	if code := run([]string{"refresh", "--config", writeAccountDotfile(t, fs.URL("/local.xml"), good), "--db", db}, &out, &errOut); code != 0 {
		t.Fatalf("refresh: exit %d, stderr %s", code, errOut.String())
	}
	if got, want := strings.TrimSpace(out.String()), "1 feed, 1 account, 10 new articles, 0 failed"; got != want {
		t.Errorf("summary: got %q, want %q (stderr %s)", got, want, errOut.String())
	}
	if strings.Contains(errOut.String(), minifluxtest.Password("cli")) {
		t.Errorf("the password was printed: %s", errOut.String())
	}

	slow := feedtest.New(t)
	slow.Handle("/hang/v1/feeds", func(w http.ResponseWriter, r *http.Request) {
		select { // until brief gives up
		case <-r.Context().Done():
		case <-time.After(40 * time.Second):
		}
	})
	slow.Handle("/500/v1/feeds", func(w http.ResponseWriter, r *http.Request) { http.Error(w, `{"error_message":"boom"}`, 500) })
	slow.Handle("/html/v1/feeds", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!DOCTYPE html><html><body>Please log in</body></html>")
	})
	slow.Handle("/429/v1/feeds", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	})
	cases := []struct {
		name, url, password, want string
	}{
		{"wrong password", srv.URL, "nope", "refused the credentials"},
		{"wrong url", srv.URL + "/nothing-here", minifluxtest.Password("cli"), "check the account's url"},
		{"server down", "http://127.0.0.1:1", minifluxtest.Password("cli"), "server is down or unreachable"},
		{"500", slow.URL("/500"), "x", "the server failed (HTTP 500): boom"},
		{"html", slow.URL("/html"), "x", "an HTML page"},
		{"rate limited", slow.URL("/429"), "x", "asks to slow down (HTTP 429); next try after"},
		{"hang", slow.URL("/hang"), "x", "did not answer in time"},
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	before, err := st.CountArticles(ctx, store.Filter{})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			acct := fmt.Sprintf("[[account]]\nname = \"home\"\nkind = \"miniflux\"\nurl = %q\nusername = \"cli\"\npassword_command = \"echo %s\"\n", tc.url, tc.password)
			// The account's url changed: a first sync again, into the same cache.
			cfg := writeAccountDotfile(t, fs.URL("/local.xml"), acct)
			if tc.name == "hang" { // requests time out after twice the dotfile's timeout
				data, _ := os.ReadFile(cfg)
				_ = os.WriteFile(cfg, bytes.Replace(data, []byte(`timeout = "5s"`), []byte(`timeout = "1s"`), 1), 0o644)
			}
			var out, errOut bytes.Buffer
			code := run([]string{"refresh", "--config", cfg, "--db", db}, &out, &errOut)
			if code != 0 {
				t.Fatalf("exit %d, stderr %s", code, errOut.String())
			}
			if !strings.Contains(errOut.String(), `account "home": `) || !strings.Contains(errOut.String(), tc.want) {
				t.Errorf("stderr: got %q, want the account named and %q", errOut.String(), tc.want)
			}
			if !strings.HasPrefix(out.String(), "1 feed, 1 account, 0 new articles, 1 failed") {
				t.Errorf("summary: got %q", out.String())
			}
			if strings.Contains(errOut.String()+out.String(), minifluxtest.Password("cli")) {
				t.Errorf("the password was printed")
			}
			st, err := store.Open(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if n, _ := st.CountArticles(ctx, store.Filter{}); n != before {
				t.Errorf("articles: %d after the failure, %d before", n, before)
			}
			if fs.Stats("/local.xml").Requests < 2 {
				t.Errorf("the local feed was not refreshed")
			}
		})
	}
}

// Issue 7, test 5 from the command line: brief account add/remove/rename.
func TestAccountCommands(t *testing.T) {
	srv := minifluxtest.Require(t)
	ctx := context.Background()
	if err := srv.NewUser(ctx, "cmd"); err != nil {
		t.Fatal(err)
	}
	fs := feedtest.New(t)
	fs.Set("/local.xml", feedtest.RSS("Local", fs.URL(""), feedtest.Generate(fs.URL(""), 1, 1)), "")
	fs.Set("/new.xml", feedtest.RSS("New", fs.URL(""), feedtest.Generate(fs.URL(""), 3, 4)), "")
	acct := fmt.Sprintf("[[account]]\nname = \"fresh\"\nkind = \"greader\"\nurl = %q\nusername = \"cmd\"\npassword_command = \"echo %s\"\n",
		srv.URL, minifluxtest.Password("cmd"))
	cfg := writeAccountDotfile(t, fs.URL("/local.xml"), acct)
	db := filepath.Join(t.TempDir(), "brief.db")
	brief := func(args ...string) (string, string, int) {
		var out, errOut bytes.Buffer
		code := run(append(args, "--config", cfg, "--db", db), &out, &errOut)
		return out.String(), errOut.String(), code
	}
	if out, errOut, code := brief("account", "add", "fresh", fs.URL("/new.xml"), "Daily"); code != 0 || !strings.Contains(out, `account "fresh": 1 feed, 4 new articles`) {
		t.Fatalf("add: exit %d, out %q, err %q", code, out, errOut)
	}
	if n, _ := srv.Query(ctx, "SELECT count(*) FROM feeds f JOIN categories c ON c.id = f.category_id WHERE c.title = 'Daily' AND f.feed_url = '"+fs.URL("/new.xml")+"'"); n != "1" {
		t.Errorf("server: %s feeds in Daily, want 1", n)
	}
	if out, errOut, code := brief("account", "rename", "fresh", "Daily", "Weekly"); code != 0 {
		t.Fatalf("rename: exit %d, out %q, err %q", code, out, errOut)
	}
	if out, _, _ := brief("account"); !strings.Contains(out, "fresh (greader, "+srv.URL+"): synced ") || !strings.Contains(out, "0 changes waiting") {
		t.Errorf("list: %q", out)
	}
	if out, errOut, code := brief("account", "remove", "fresh", fs.URL("/new.xml")); code != 0 || !strings.Contains(out, "0 feeds") {
		t.Fatalf("remove: exit %d, out %q, err %q", code, out, errOut)
	}
	if n, _ := srv.Query(ctx, "SELECT count(*) FROM feeds WHERE feed_url = '"+fs.URL("/new.xml")+"'"); n != "0" {
		t.Errorf("server: %s feeds left, want 0", n)
	}
	if _, errOut, code := brief("account", "add", "nobody", fs.URL("/new.xml")); code == 0 || !strings.Contains(errOut, `no [[account]] named "nobody"`) {
		t.Errorf("unknown account: exit %d, err %q", code, errOut)
	}
}

// The reader's refresh (on start, R, refresh_interval: the store main hands
// the ui) syncs the accounts in the same background command, adds their new
// articles to its summary, reports a failing account among the errors, and
// r on an account's feed syncs that account.
func TestReaderRefreshSyncsAccounts(t *testing.T) {
	srv := minifluxtest.Require(t)
	ctx := context.Background()
	if err := srv.NewUser(ctx, "reader"); err != nil {
		t.Fatal(err)
	}
	fs := feedtest.New(t)
	fs.Set("/local.xml", feedtest.RSS("Local", fs.URL(""), feedtest.Generate(fs.URL(""), 1, 2)), "")
	fs.Set("/remote.xml", feedtest.RSS("Remote", fs.URL(""), feedtest.Generate(fs.URL(""), 2, 5)), "")
	addServerFeed(t, srv, "reader", fs.URL("/remote.xml"))
	body := fmt.Sprintf("[[account]]\nname = \"home\"\nkind = \"greader\"\nurl = %q\nusername = \"reader\"\npassword_command = \"echo %s\"\n"+
		"[[account]]\nname = \"down\"\nkind = \"miniflux\"\nurl = \"http://127.0.0.1:1\"\ntoken_command = \"echo t\"\n", srv.URL, minifluxtest.Password("reader"))
	cfg, err := loadConfig(writeAccountDotfile(t, fs.URL("/local.xml"), body))
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "brief.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.SyncFeeds(ctx, []store.FeedSpec{{URL: cfg.Feeds[0].URL}}); err != nil {
		t.Fatal(err)
	}
	if err := st.SyncAccounts(ctx, cfg.accountSpecs()); err != nil {
		t.Fatal(err)
	}
	rs := refreshingStore{Store: st, log: slog.New(slog.DiscardHandler), accounts: cfg.accountConfigs()}
	sum, err := rs.Refresh(ctx, newClient(cfg), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 7 || sum.Failed != 1 || len(sum.Errors) != 1 || !strings.Contains(sum.Errors[0].Error, `account "down": cannot connect`) {
		t.Errorf("summary: new %d failed %d errors %+v; want 7 new and the down account named", sum.New, sum.Failed, sum.Errors)
	}
	errs, err := st.Errors(ctx)
	if err != nil || len(errs) == 0 || errs[0].Title != `account "down"` || !strings.Contains(errs[0].Warning, "never synced") {
		t.Errorf("errors view: %+v, %v", errs, err)
	}
	// r on the account's feed: that account only.
	fs.Set("/remote.xml", feedtest.RSS("Remote", fs.URL(""), feedtest.Generate(fs.URL(""), 2, 6)), "")
	if err := srv.SQL(ctx, "UPDATE feeds SET checked_at = now() - interval '1 day'"); err != nil {
		t.Fatal(err)
	}
	home, _ := st.AccountByName(ctx, "home")
	feeds, err := st.AccountFeeds(ctx, home.ID)
	if err != nil || len(feeds) != 1 {
		t.Fatalf("account feeds: %+v, %v", feeds, err)
	}
	sum, err = rs.Refresh(ctx, newClient(cfg), []int64{feeds[0].FeedID}, nil)
	if err != nil || sum.Failed != 0 {
		t.Errorf("refresh of the account's feed: %+v, %v (the down account should not be tried)", sum, err)
	}
}
