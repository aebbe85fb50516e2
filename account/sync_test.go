package account

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/internal/minifluxtest"
	"github.com/brief-reader/brief/store"
)

// Issue 7, test 1: the first sync of 20 subscriptions × 50 entries in 3
// categories brings the feeds, their categories and the server's unread
// counts, and the articles open from the cache alone; a second sync with
// nothing changed writes no article and makes few requests.
func TestFirstSyncBothKinds(t *testing.T) {
	srv := minifluxtest.Require(t)
	fs := feedtest.New(t)
	m := user(t, srv, "first")
	cats := []string{"News", "Tech", "Science"}
	urls := serveFeeds(t, m, fs, "first", 20, 50, cats)
	// Some state on the server before brief ever syncs.
	ids := entriesOf(t, srv, remoteFeedID(t, srv, "first", urls[0]))
	if err := srv.SQL(context.Background(), "UPDATE entries SET status = 'read' WHERE id IN ("+strings.Join(ids[:10], ",")+")"); err != nil {
		t.Fatal(err)
	}
	if err := srv.SQL(context.Background(), "UPDATE entries SET starred = true WHERE id = "+ids[20]); err != nil {
		t.Fatal(err)
	}
	for _, c := range []Config{mfConfig(srv, "first"), grConfig(srv, "first")} {
		t.Run(c.Kind, func(t *testing.T) {
			ctx := context.Background()
			st := openStore(t, c)
			res := mustSync(t, st, c)
			if res.Feeds != 20 {
				t.Errorf("feeds: got %d, want 20", res.Feeds)
			}
			// Read entries published over the history window ago are not
			// pulled on a first sync; every unread and starred one is.
			if res.New < 20*50-10 {
				t.Errorf("new articles: got %d, want at least %d", res.New, 20*50-10)
			}
			acct, err := st.AccountByName(ctx, c.Name)
			if err != nil {
				t.Fatal(err)
			}
			feeds, err := st.AccountFeeds(ctx, acct.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(feeds) != 20 {
				t.Fatalf("account feeds: got %d, want 20", len(feeds))
			}
			seenCats := map[string]bool{}
			for _, f := range feeds {
				seenCats[f.Category] = true
				want := 50
				if strings.HasSuffix(f.FeedURL, "/first/0.xml") {
					want = 40
				}
				if f.Unread != want {
					t.Errorf("%s: cached unread %d, want %d", f.Title, f.Unread, want)
				}
				if c.Kind == KindMiniflux && f.ServerUnread != want {
					t.Errorf("%s: server's unread count %d, want %d", f.Title, f.ServerUnread, want)
				}
			}
			for _, cat := range cats {
				if !seenCats[cat] {
					t.Errorf("category %q missing (got %v)", cat, seenCats)
				}
			}
			// Categories are tags under the account.
			n, err := st.CountArticles(ctx, store.Filter{Tag: c.Name + "/Tech"})
			if err != nil || n == 0 {
				t.Errorf("articles tagged %s/Tech: got %d, %v", c.Name, n, err)
			}
			starred, err := st.CountArticles(ctx, store.Filter{Starred: true})
			if err != nil || starred != 1 {
				t.Errorf("starred: got %d, %v; want 1", starred, err)
			}
			// An article opens from the cache, converted like a local feed's.
			a, err := st.Article(ctx, articleOf(t, st, c.Name, ids[20]))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(a.Markdown, "bold") || len(a.Links) == 0 || !a.Starred {
				t.Errorf("article: markdown %q, links %v, starred %v", a.Markdown, a.Links, a.Starred)
			}
			// Nothing changed: nothing written, few requests.
			again := mustSync(t, st, c)
			if again.Written != 0 || again.New != 0 {
				t.Errorf("no-change sync wrote %d rows (%d new), want 0", again.Written, again.New)
			}
			if again.Requests > 6 {
				t.Errorf("no-change sync made %d requests, want at most 6", again.Requests)
			}
			t.Logf("%s: first sync %d articles in %s (%d requests); no-change sync %d requests in %s",
				c.Kind, res.New, res.Elapsed, res.Requests, again.Requests, again.Elapsed)
		})
	}
}

// Issue 7, test 2: read/star in brief reaches the server; read/star on the
// server reaches brief; when both changed an entry, the later change wins.
func TestTwoWayState(t *testing.T) {
	srv := minifluxtest.Require(t)
	fs := feedtest.New(t)
	for _, kind := range []string{KindMiniflux, KindGReader} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			name := "twoway-" + kind
			m := user(t, srv, name)
			urls := serveFeeds(t, m, fs, name, 1, 10, []string{"News"})
			ids := entriesOf(t, srv, remoteFeedID(t, srv, name, urls[0]))
			c := mfConfig(srv, name)
			if kind == KindGReader {
				c = grConfig(srv, name)
			}
			st := openStore(t, c)
			mustSync(t, st, c)

			// brief → server
			if err := st.SetRead(ctx, articleOf(t, st, c.Name, ids[0]), true); err != nil {
				t.Fatal(err)
			}
			if err := st.SetStarred(ctx, articleOf(t, st, c.Name, ids[1]), true); err != nil {
				t.Fatal(err)
			}
			res := mustSync(t, st, c)
			if res.Pushed != 2 {
				t.Errorf("pushed %d, want 2", res.Pushed)
			}
			if s, _ := serverEntry(t, srv, ids[0]); s != "read" {
				t.Errorf("server: entry %s is %s, want read", ids[0], s)
			}
			if _, starred := serverEntry(t, srv, ids[1]); !starred {
				t.Errorf("server: entry %s not starred", ids[1])
			}

			// server → brief
			if err := srv.SQL(ctx, "UPDATE entries SET status = 'read', changed_at = now() WHERE id = "+ids[2]); err != nil {
				t.Fatal(err)
			}
			if err := srv.SQL(ctx, "UPDATE entries SET starred = true, changed_at = now() WHERE id = "+ids[3]); err != nil {
				t.Fatal(err)
			}
			mustSync(t, st, c)
			if a, _ := st.Article(ctx, articleOf(t, st, c.Name, ids[2])); !a.Read {
				t.Errorf("brief: entry %s not read after the server read it", ids[2])
			}
			if a, _ := st.Article(ctx, articleOf(t, st, c.Name, ids[3])); !a.Starred {
				t.Errorf("brief: entry %s not starred after the server starred it", ids[3])
			}

			// Both sides: the server's change is later → it wins.
			if err := st.SetStarred(ctx, articleOf(t, st, c.Name, ids[4]), true); err != nil {
				t.Fatal(err)
			}
			if err := srv.SQL(ctx, "UPDATE entries SET status = 'read', changed_at = now() + interval '1 minute' WHERE id = "+ids[4]); err != nil {
				t.Fatal(err)
			}
			// … and brief's change is later → it wins.
			if err := srv.SQL(ctx, "UPDATE entries SET status = 'read', changed_at = now() - interval '1 hour' WHERE id = "+ids[5]); err != nil {
				t.Fatal(err)
			}
			if err := st.SetRead(ctx, articleOf(t, st, c.Name, ids[5]), false); err != nil {
				t.Fatal(err)
			}
			// (ids[5] was unread here already; mark it read then unread so a change is queued.)
			if err := st.SetRead(ctx, articleOf(t, st, c.Name, ids[5]), true); err != nil {
				t.Fatal(err)
			}
			if err := st.SetRead(ctx, articleOf(t, st, c.Name, ids[5]), false); err != nil {
				t.Fatal(err)
			}
			mustSync(t, st, c)
			// The server says when it changed an entry, not which field: its
			// later change wins for the whole entry.
			a4, _ := st.Article(ctx, articleOf(t, st, c.Name, ids[4]))
			if !a4.Read || a4.Starred {
				t.Errorf("entry %s: read %v starred %v in brief; want the server's later state (read, not starred)", ids[4], a4.Read, a4.Starred)
			}
			if _, starred := serverEntry(t, srv, ids[4]); starred {
				t.Errorf("entry %s: brief's earlier star overwrote the server's later change", ids[4])
			}
			if s, _ := serverEntry(t, srv, ids[5]); s != "unread" {
				t.Errorf("entry %s: brief's later unread lost, server has %s", ids[5], s)
			}
			a5, _ := st.Article(ctx, articleOf(t, st, c.Name, ids[5]))
			if a5.Read {
				t.Errorf("entry %s: brief's later unread was overwritten", ids[5])
			}
		})
	}
}

// Issue 7, test 3: with the server down, 50 changes wait through two
// restarts of brief; when it is back they are all applied, once, and the
// queue is empty. A push cut off after the server applied it (the process
// killed before it noted the answer) is sent again and changes nothing more.
func TestQueueSurvivesOutageAndRestarts(t *testing.T) {
	srv := minifluxtest.Require(t)
	fs := feedtest.New(t)
	ctx := context.Background()
	name := "queue"
	m := user(t, srv, name)
	urls := serveFeeds(t, m, fs, name, 1, 50, []string{"News"})
	ids := entriesOf(t, srv, remoteFeedID(t, srv, name, urls[0]))
	c := mfConfig(srv, name)
	dir := t.TempDir()
	path := dir + "/brief.db"
	open := func() *store.Store {
		st, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.SyncAccounts(ctx, []store.AccountSpec{{Name: c.Name, Kind: c.Kind, URL: c.URL}}); err != nil {
			t.Fatal(err)
		}
		return st
	}
	st := open()
	mustSync(t, st, c)
	srv.StopMiniflux()
	started := false
	defer func() {
		if !started {
			if err := srv.StartMiniflux(ctx); err != nil {
				t.Error(err)
			}
		}
	}()
	for i, id := range ids[:50] {
		aid := articleOf(t, st, c.Name, id)
		var err error
		if i%2 == 0 {
			err = st.SetRead(ctx, aid, true)
		} else {
			err = st.SetStarred(ctx, aid, true)
		}
		if err != nil {
			t.Fatal(err)
		}
		if i == 20 { // a restart in the middle
			st.Close()
			st = open()
		}
	}
	_, err := Sync(ctx, st, c)
	if err == nil || !strings.Contains(err.Error(), `account "`+c.Name+`"`) {
		t.Fatalf("sync with the server down: got %v, want an error naming the account", err)
	}
	st.Close()
	st = open()
	defer st.Close()
	if a, _ := st.AccountByName(ctx, c.Name); a.Pending != 50 || a.LastError == "" {
		t.Fatalf("after two restarts: %d pending (want 50), last error %q", a.Pending, a.LastError)
	}
	if err := srv.StartMiniflux(ctx); err != nil {
		t.Fatal(err)
	}
	started = true
	res := mustSync(t, st, c)
	if res.Pushed != 50 {
		t.Errorf("pushed %d, want 50", res.Pushed)
	}
	for i, id := range ids[:50] {
		s, starred := serverEntry(t, srv, id)
		if i%2 == 0 && s != "read" {
			t.Errorf("entry %s: %s on the server, want read", id, s)
		}
		if i%2 == 1 && (!starred || s != "unread") {
			t.Errorf("entry %s: starred %v, %s on the server, want starred and unread", id, starred, s)
		}
	}
	if a, _ := st.AccountByName(ctx, c.Name); a.Pending != 0 || a.LastError != "" {
		t.Errorf("after the sync: %d pending, last error %q; want 0 and none", a.Pending, a.LastError)
	}
}

// Issue 7, test 5: a subscription added from brief appears on the server (and
// in the cache); removed, it disappears.
func TestAddRemoveSubscription(t *testing.T) {
	srv := minifluxtest.Require(t)
	fs := feedtest.New(t)
	for _, kind := range []string{KindMiniflux, KindGReader} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			name := "manage-" + kind
			user(t, srv, name)
			c := mfConfig(srv, name)
			if kind == KindGReader {
				c = grConfig(srv, name)
			}
			st := openStore(t, c)
			path := "/" + name + ".xml"
			fs.Set(path, feedtest.RSS("Added "+kind, fs.URL(""), feedtest.Generate(fs.URL(""), 1, 5)), "")
			res, err := AddFeed(ctx, st, c, fs.URL(path), "Later")
			if err != nil {
				t.Fatal(err)
			}
			if res.Feeds != 1 || res.New != 5 {
				t.Errorf("after adding: %d feeds, %d new; want 1 and 5", res.Feeds, res.New)
			}
			if n, _ := srv.Query(ctx, fmt.Sprintf("SELECT count(*) FROM feeds f JOIN users u ON u.id = f.user_id JOIN categories c ON c.id = f.category_id WHERE u.username = '%s' AND f.feed_url = '%s' AND c.title = 'Later'", name, fs.URL(path))); n != "1" {
				t.Errorf("server feeds with that url in Later: %s, want 1", n)
			}
			if _, err := RenameCategory(ctx, st, c, "Later", "Soon"); err != nil {
				t.Fatal(err)
			}
			if n, _ := st.CountArticles(ctx, store.Filter{Tag: c.Name + "/Soon"}); n != 5 {
				t.Errorf("articles under the renamed category: %d, want 5", n)
			}
			res, err = RemoveFeed(ctx, st, c, fs.URL(path))
			if err != nil {
				t.Fatal(err)
			}
			if res.Feeds != 0 {
				t.Errorf("after removing: %d feeds, want 0", res.Feeds)
			}
			if n, _ := srv.Query(ctx, fmt.Sprintf("SELECT count(*) FROM feeds WHERE feed_url = '%s' AND user_id = (SELECT id FROM users WHERE username = '%s')", fs.URL(path), name)); n != "0" {
				t.Errorf("server feeds with that url: %s, want 0", n)
			}
		})
	}
}

// Changes queued on entries the server deleted (their feed was removed
// there meanwhile) are dropped with a note, not retried forever.
func TestChangesOnDeletedEntriesAreDropped(t *testing.T) {
	srv := minifluxtest.Require(t)
	fs := feedtest.New(t)
	for _, kind := range []string{KindMiniflux, KindGReader} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			name := "gone-" + kind
			m := user(t, srv, name)
			urls := serveFeeds(t, m, fs, name, 2, 3, []string{"News"})
			gone := remoteFeedID(t, srv, name, urls[0])
			ids := entriesOf(t, srv, gone)
			kept := entriesOf(t, srv, remoteFeedID(t, srv, name, urls[1]))
			c := mfConfig(srv, name)
			if kind == KindGReader {
				c = grConfig(srv, name)
			}
			st := openStore(t, c)
			mustSync(t, st, c)
			for _, id := range append(ids, kept[0]) {
				if err := st.SetRead(ctx, articleOf(t, st, c.Name, id), true); err != nil {
					t.Fatal(err)
				}
			}
			if err := m.removeFeed(ctx, gone); err != nil {
				t.Fatal(err)
			}
			res := mustSync(t, st, c)
			if res.Dropped != 3 || res.Pushed != 1 || !strings.Contains(res.Note, "3 queued changes dropped") {
				t.Errorf("dropped %d, pushed %d, note %q; want 3 dropped with a note, 1 pushed", res.Dropped, res.Pushed, res.Note)
			}
			if a, _ := st.AccountByName(ctx, c.Name); a.Pending != 0 || a.Note != res.Note {
				t.Errorf("account: %d pending, note %q", a.Pending, a.Note)
			}
			if s, _ := serverEntry(t, srv, kept[0]); s != "read" {
				t.Errorf("the change on a kept entry: server has %s", s)
			}
		})
	}
}

// A push cut off after the server applied it (as when brief is killed
// before it hears the answer) leaves the changes queued; the next sync sends
// them again, and since every change sets a state rather than toggling one,
// the server ends up with each applied once.
func TestPushCutOffIsResentHarmlessly(t *testing.T) {
	srv := minifluxtest.Require(t)
	fs := feedtest.New(t)
	ctx := context.Background()
	name := "cutoff"
	m := user(t, srv, name)
	urls := serveFeeds(t, m, fs, name, 1, 6, []string{"News"})
	ids := entriesOf(t, srv, remoteFeedID(t, srv, name, urls[0]))
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	var cut atomic.Int32
	cutter := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPut || r.URL.Path != "/v1/entries" {
			proxy.ServeHTTP(w, r)
			return
		}
		// Let the server apply the change, then drop the answer.
		proxy.ServeHTTP(httptest.NewRecorder(), r)
		cut.Add(1)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer cutter.Close()
	c := mfConfig(srv, name)
	st := openStore(t, c)
	mustSync(t, st, c)
	for _, id := range ids[:3] {
		if err := st.SetStarred(ctx, articleOf(t, st, c.Name, id), true); err != nil {
			t.Fatal(err)
		}
	}
	cutCfg := c
	cutCfg.URL = cutter.URL
	if _, err := Sync(ctx, st, cutCfg); err == nil || cut.Load() == 0 {
		t.Fatalf("sync through the cutting proxy: err %v, cuts %d; want an error after a cut", err, cut.Load())
	}
	if a, _ := st.AccountByName(ctx, c.Name); a.Pending != 3 {
		t.Fatalf("after the cut: %d pending, want 3 (nothing lost)", a.Pending)
	}
	for _, id := range ids[:3] {
		if _, starred := serverEntry(t, srv, id); !starred {
			t.Fatalf("entry %s: the server did not apply the cut push", id)
		}
	}
	res := mustSync(t, st, c)
	if res.Pushed != 3 {
		t.Errorf("resent %d, want 3", res.Pushed)
	}
	for _, id := range ids[:3] {
		if _, starred := serverEntry(t, srv, id); !starred {
			t.Errorf("entry %s: not starred after the resend (a toggle would have undone it)", id)
		}
	}
	if a, _ := st.AccountByName(ctx, c.Name); a.Pending != 0 {
		t.Errorf("after the resend: %d pending", a.Pending)
	}
}

// A Miniflux API token works in place of a password; a wrong one is named as
// refused credentials, without the token in the message.
func TestMinifluxAPIToken(t *testing.T) {
	srv := minifluxtest.Require(t)
	ctx := context.Background()
	m := user(t, srv, "token")
	body, _, err := m.request(ctx, http.MethodPost, "/v1/api-keys", nil, map[string]string{"description": "brief"})
	if err != nil {
		t.Fatal(err)
	}
	var key struct {
		Token string `json:"token"`
	}
	if err := m.decode("api-keys", body, &key); err != nil || key.Token == "" {
		t.Fatalf("api key: %q, %v", body, err)
	}
	c := Config{Name: "tok", Kind: KindMiniflux, URL: srv.URL, TokenCommand: "echo " + key.Token}
	st := openStore(t, c)
	mustSync(t, st, c)
	c.TokenCommand = "echo wrong-" + key.Token
	_, err = Sync(ctx, st, c)
	if err == nil || !strings.Contains(err.Error(), `account "tok": the server refused the credentials (HTTP 401)`) || strings.Contains(err.Error(), key.Token) {
		t.Errorf("wrong token: got %v", err)
	}
	c.TokenCommand = "false"
	if _, err = Sync(ctx, st, c); err == nil || !strings.Contains(err.Error(), "token_command: false exited with status 1") {
		t.Errorf("failing command: got %v", err)
	}
}
