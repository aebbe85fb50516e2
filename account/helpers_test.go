package account

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/internal/minifluxtest"
	"github.com/brief-reader/brief/store"
)

func TestMain(m *testing.M) { minifluxtest.Main(m) }

// user makes a Miniflux user of its own for a test and returns a REST
// client acting as it, to set the server up.
func user(t testing.TB, srv *minifluxtest.Server, name string) *miniflux {
	t.Helper()
	if err := srv.NewUser(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	c := &Config{Name: "setup", URL: srv.URL, Timeout: 60 * time.Second}
	return &miniflux{client: newClient(c), cred: credentials{username: name, password: minifluxtest.Password(name)}}
}

// mfConfig and grConfig are accounts of both kinds for a test user; the
// secrets come from commands, as a user would write them.
func mfConfig(srv *minifluxtest.Server, user string) Config {
	return Config{Name: "mf-" + user, Kind: KindMiniflux, URL: srv.URL, Username: user,
		PasswordCommand: "printf '%s\\n' " + minifluxtest.Password(user), Timeout: 60 * time.Second}
}

func grConfig(srv *minifluxtest.Server, user string) Config {
	return Config{Name: "gr-" + user, Kind: KindGReader, URL: srv.URL, Username: user,
		PasswordCommand: "echo " + minifluxtest.Password(user), Timeout: 60 * time.Second}
}

// openStore opens a fresh cache with the given accounts.
func openStore(t testing.TB, cfgs ...Config) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "brief.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	specs := make([]store.AccountSpec, len(cfgs))
	for i, c := range cfgs {
		specs[i] = store.AccountSpec{Name: c.Name, Kind: c.Kind, URL: c.URL}
	}
	if err := st.SyncAccounts(ctx, specs); err != nil {
		t.Fatal(err)
	}
	return st
}

// serveFeeds serves n feeds of items each from a loopback feed server, under
// prefix, and subscribes m's user to them in the categories given
// (round robin). It returns the feeds' URLs.
func serveFeeds(t testing.TB, m *miniflux, fs *feedtest.Server, prefix string, n, items int, cats []string) []string {
	t.Helper()
	ctx := context.Background()
	var urls []string
	for i := range n {
		path := fmt.Sprintf("/%s/%d.xml", prefix, i)
		gen := feedtest.Generate(fs.URL(""), i, items)
		for j := range gen {
			gen[j].GUID = fmt.Sprintf("%s-%d-%d", prefix, i, j)
			gen[j].Title = fmt.Sprintf("%s feed %d story %d", prefix, i, j)
			gen[j].Published = time.Now().Add(-time.Duration(i*items+j) * time.Minute)
		}
		fs.Set(path, feedtest.RSS(fmt.Sprintf("%s feed %d", prefix, i), fs.URL(""), gen), "")
		if _, err := m.addFeed(ctx, fs.URL(path), cats[i%len(cats)]); err != nil {
			t.Fatalf("subscribing the server to %s: %v", path, err)
		}
		urls = append(urls, fs.URL(path))
	}
	return urls
}

// serverEntry returns the server's status and starred state of an entry, read
// from its database (not through the API brief uses).
func serverEntry(t testing.TB, srv *minifluxtest.Server, remoteID string) (status string, starred bool) {
	t.Helper()
	out, err := srv.Query(context.Background(), "SELECT status || ',' || starred FROM entries WHERE id = "+remoteID)
	if err != nil {
		t.Fatal(err)
	}
	s, st, _ := strings.Cut(out, ",")
	return s, st == "true"
}

// remoteFeedID returns Miniflux's id of user's feed at url.
func remoteFeedID(t testing.TB, srv *minifluxtest.Server, user, url string) string {
	t.Helper()
	out, err := srv.Query(context.Background(), "SELECT f.id FROM feeds f JOIN users u ON u.id = f.user_id WHERE u.username = '"+user+"' AND f.feed_url = '"+url+"'")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := strconv.Atoi(out); err != nil {
		t.Fatalf("no feed %s on the server (%q)", url, out)
	}
	return out
}

// articleOf returns the cached article id of a remote entry.
func articleOf(t testing.TB, st *store.Store, account, remoteID string) int64 {
	t.Helper()
	a, err := st.AccountByName(context.Background(), account)
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.ArticleByRemoteID(context.Background(), a.ID, remoteID)
	if err != nil {
		t.Fatalf("entry %s of %s: %v", remoteID, account, err)
	}
	return id
}

// entriesOf lists the server's entry ids of a feed, newest first.
func entriesOf(t testing.TB, srv *minifluxtest.Server, feedID string) []string {
	t.Helper()
	out, err := srv.Query(context.Background(), "SELECT id FROM entries WHERE feed_id = "+feedID+" ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(out)
}

func mustSync(t testing.TB, st *store.Store, c Config) Result {
	t.Helper()
	res, err := Sync(context.Background(), st, c)
	if err != nil {
		t.Fatalf("sync %s: %v", c.Name, err)
	}
	return res
}
