package store

import (
	"context"
	"testing"
	"time"

	"github.com/brief-reader/brief/feed"
)

// pulled stores n entries of one remote feed of account "home" and returns
// the account, its feed id and the articles' ids by remote id.
func pulled(t *testing.T, s *Store, n int) (Account, int64, map[string]int64) {
	t.Helper()
	ctx := context.Background()
	if err := s.SyncAccounts(ctx, []AccountSpec{{Name: "home", Kind: "miniflux", URL: "https://rss.example"}}); err != nil {
		t.Fatal(err)
	}
	acct, err := s.AccountByName(ctx, "home")
	if err != nil {
		t.Fatal(err)
	}
	ids, err := s.SetAccountFeeds(ctx, acct, []RemoteFeed{{RemoteID: "7", Title: "Remote", FeedURL: "https://a.example/rss", Category: "News", Unread: n}})
	if err != nil {
		t.Fatal(err)
	}
	var entries []RemoteEntry
	for i := range n {
		it, err := feed.NormalizeEntry(feed.Entry{ID: string(rune('a' + i)), URL: "https://a.example/" + string(rune('a'+i)),
			Title: "Story " + string(rune('a'+i)), HTML: "<p>Text with a <a href=\"https://b.example/\">link</a>.</p>"}, "", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, RemoteEntry{RemoteID: string(rune('a' + i)), FeedRemoteID: "7", Item: it, Changed: time.Now().Add(-time.Hour)})
	}
	res, err := s.StoreRemoteEntries(ctx, acct.ID, ids, entries)
	if err != nil {
		t.Fatal(err)
	}
	if res.New != n {
		t.Fatalf("new: got %d, want %d", res.New, n)
	}
	arts := map[string]int64{}
	for _, e := range entries {
		id, err := s.ArticleByRemoteID(ctx, acct.ID, e.RemoteID)
		if err != nil {
			t.Fatal(err)
		}
		arts[e.RemoteID] = id
	}
	return acct, ids["7"], arts
}

func TestAccountChangesAreQueuedLocalOnesNot(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	acct, feedID, arts := pulled(t, s, 3)
	syncURLs(t, s, "https://local.example/rss") // a local feed beside the account
	if err := s.SetRead(ctx, arts["a"], true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(ctx, arts["b"], true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkRead(ctx, Filter{Tag: "home/News"}); err != nil {
		t.Fatal(err)
	}
	acts, err := s.PendingActions(ctx, acct.ID)
	if err != nil {
		t.Fatal(err)
	}
	// a read, b starred, then mark-all-read of the tag: b and c read.
	if len(acts) != 4 || acts[0].RemoteID != "a" || acts[1].Field != "starred" {
		t.Fatalf("queue: got %+v", acts)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feeds {
		if f.ID == feedID && (f.Unread != 0 || len(f.Tags) != 1 || f.Tags[0] != "home/News" || f.Account != "home") {
			t.Errorf("account feed: unread %d tags %v account %q", f.Unread, f.Tags, f.Account)
		}
		if f.ID != feedID && f.Account != "" {
			t.Errorf("local feed %s: account %q", f.URL, f.Account)
		}
	}
	// The dotfile's feeds sync leaves the account's feed alone.
	syncURLs(t, s, "https://other.example/rss")
	if n, _ := s.CountArticles(ctx, Filter{FeedID: feedID}); n != 3 {
		t.Errorf("account feed after a dotfile change: %d articles, want 3", n)
	}
	if err := s.DoneActions(ctx, acct.ID, acts[len(acts)-1].ID, "read", []int64{arts["a"], arts["b"], arts["c"]}); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.AccountByName(ctx, "home"); a.Pending != 1 {
		t.Errorf("pending after the read changes were sent: %d, want 1", a.Pending)
	}
}

func TestServerStateAppliesUnlessLocalIsLater(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	acct, _, arts := pulled(t, s, 2)
	if err := s.SetStarred(ctx, arts["a"], true); err != nil { // queued now
		t.Fatal(err)
	}
	changes, err := s.RemoteStateChanges(ctx, acct.ID, map[string]bool{}, map[string]bool{})
	if err != nil {
		t.Fatal(err)
	}
	// Server: both read, a not starred (a's star is pending here).
	if len(changes) != 3 {
		t.Fatalf("changes: got %+v", changes)
	}
	for i := range changes {
		changes[i].Changed = time.Now().Add(-time.Hour) // earlier than the local star
	}
	res, err := s.ApplyStateChanges(ctx, changes)
	if err != nil {
		t.Fatal(err)
	}
	if res.Written != 2 || res.Superseded != 0 {
		t.Errorf("applied: %+v", res)
	}
	a, _ := s.Article(ctx, arts["a"])
	if !a.Read || !a.Starred {
		t.Errorf("a: read %v starred %v; want read (server) and starred (later local change)", a.Read, a.Starred)
	}
	if p, _ := s.AccountByName(ctx, "home"); p.Pending != 1 {
		t.Errorf("pending: %d, want 1 (applying the server's state queues nothing)", p.Pending)
	}
}
