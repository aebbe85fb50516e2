package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/brief-reader/brief/feed"
)

// AccountSpec is one [[account]] of the dotfile, as the store keeps it (never
// its secret).
type AccountSpec struct {
	Name string
	Kind string // miniflux | greader
	URL  string
}

// Account is a sync account with the state of its last sync.
type Account struct {
	ID          int64
	Name        string
	Kind        string
	URL         string
	Cursor      string    // where the next pull starts; "": first sync
	LastSync    time.Time // zero: never synced
	LastError   string    // why the last sync failed; "" when it succeeded
	LastErrorAt time.Time
	RetryAfter  time.Time // the server asked not to be called before this
	Note        string    // e.g. actions dropped because the server deleted their entry
	Pending     int       // read/starred changes waiting to be sent
}

// RemoteFeed is a subscription of an account, as its server lists it.
type RemoteFeed struct {
	RemoteID string
	Title    string
	FeedURL  string
	SiteURL  string
	Category string // "" when none
	Unread   int    // the server's unread count; -1 when it did not say
}

// RemoteEntry is an entry pulled from a server: its normalised item and its
// state there.
type RemoteEntry struct {
	RemoteID     string
	FeedRemoteID string
	Item         feed.Item
	Read         bool
	Starred      bool
	Changed      time.Time // the server's last change of the entry; zero when it does not say
}

// PullResult counts what storing a pull did.
type PullResult struct {
	New        int // articles inserted
	Written    int // article rows inserted or changed (content or state)
	Superseded int // queued local changes dropped because the server changed the entry later
	Unknown    int // entries of feeds the account does not list (skipped)
}

// Action is one queued local change of an account's article.
type Action struct {
	ID        int64 // queue order
	ArticleID int64
	RemoteID  string
	Field     string // read | starred
	Value     bool
	At        time.Time
	FeedGone  bool // the article's feed is no longer on the server (its entries went with it)
}

// accountFeedURL is the feeds.url of an account's feed: not an http URL, so
// it never meets a dotfile feed.
func accountFeedURL(account, remoteID string) string {
	return "brief-account:" + account + "/" + remoteID
}

// accountFeedPosition puts account feeds after the dotfile's in lists.
const accountFeedPosition = 1 << 30

// SyncAccounts makes the stored accounts match the dotfile: specs are added
// or updated; accounts no longer listed become inactive and their feeds are
// hidden (articles and state kept, back when the account is listed again).
func (s *Store) SyncAccounts(ctx context.Context, specs []AccountSpec) (err error) {
	// Nothing to change (the usual start): write nothing, so that opening a
	// large cache never waits for the integrity check that gates writes.
	if same, err := s.accountsInSync(ctx, specs); err != nil || same {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap("sync accounts", err)
	}
	defer func() {
		if rerr := ignoreDone(tx.Rollback()); rerr != nil {
			err = errors.Join(err, s.wrap("sync accounts", rerr))
		}
	}()
	names := make([]string, 0, len(specs))
	for _, a := range specs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO accounts (name, kind, url, active) VALUES (?1, ?2, ?3, 1)
ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, url = excluded.url, active = 1,
 cursor = CASE WHEN accounts.kind IS excluded.kind AND accounts.url IS excluded.url THEN accounts.cursor ELSE '' END,
 retry_after = CASE WHEN accounts.kind IS excluded.kind AND accounts.url IS excluded.url THEN accounts.retry_after ELSE 0 END
WHERE accounts.kind IS NOT excluded.kind OR accounts.url IS NOT excluded.url OR accounts.active <> 1`,
			a.Name, a.Kind, a.URL); err != nil {
			return s.wrap("sync accounts", err)
		}
		names = append(names, a.Name)
	}
	list, err := json.Marshal(names)
	if err != nil {
		return fmt.Errorf("store: sync accounts: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE accounts SET active = 0 WHERE active = 1 AND name NOT IN (SELECT value FROM json_each(?))`, string(list)); err != nil {
		return s.wrap("sync accounts", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE feeds SET active = 0 WHERE active = 1 AND account_id IN (SELECT id FROM accounts WHERE active = 0)`); err != nil {
		return s.wrap("sync accounts", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE feeds SET active = 1 WHERE active = 0 AND account_id IN (SELECT id FROM accounts WHERE active = 1)
 AND id IN (SELECT feed_id FROM account_feeds)`); err != nil {
		return s.wrap("sync accounts", err)
	}
	return s.wrap("sync accounts", tx.Commit())
}

// accountsInSync reports, reading only, whether SyncAccounts(specs) would
// change nothing: the active accounts are exactly specs, and every account
// feed's active flag already follows its account.
func (s *Store) accountsInSync(ctx context.Context, specs []AccountSpec) (bool, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT name, kind, url FROM accounts WHERE active = 1`)
	if err != nil {
		return false, s.wrap("sync accounts", err)
	}
	defer rows.Close()
	active := map[string]AccountSpec{}
	for rows.Next() {
		var a AccountSpec
		if err := rows.Scan(&a.Name, &a.Kind, &a.URL); err != nil {
			return false, s.wrap("sync accounts", err)
		}
		active[a.Name] = a
	}
	if err := rows.Err(); err != nil {
		return false, s.wrap("sync accounts", err)
	}
	if len(active) != len(specs) {
		return false, nil
	}
	for _, a := range specs {
		if got, ok := active[a.Name]; !ok || got.Kind != a.Kind || got.URL != a.URL {
			return false, nil
		}
	}
	var stale bool
	err = s.r.QueryRowContext(ctx, `SELECT
 EXISTS (SELECT 1 FROM feeds WHERE active = 1 AND account_id IN (SELECT id FROM accounts WHERE active = 0))
 OR EXISTS (SELECT 1 FROM feeds WHERE active = 0 AND account_id IN (SELECT id FROM accounts WHERE active = 1)
  AND id IN (SELECT feed_id FROM account_feeds))`).Scan(&stale)
	if err != nil {
		return false, s.wrap("sync accounts", err)
	}
	return !stale, nil
}

const accountColumns = `a.id, a.name, a.kind, a.url, a.cursor, a.last_sync, a.last_error, a.last_error_at, a.retry_after, a.last_note,
 (SELECT count(*) FROM sync_queue q WHERE q.account_id = a.id)`

func scanAccount(sc scanner) (Account, error) {
	var a Account
	var last, errAt, retry int64
	if err := sc.Scan(&a.ID, &a.Name, &a.Kind, &a.URL, &a.Cursor, &last, &a.LastError, &errAt, &retry, &a.Note, &a.Pending); err != nil {
		return Account{}, err
	}
	a.LastSync, a.LastErrorAt, a.RetryAfter = fromUnix(last), fromUnix(errAt), fromUnix(retry)
	return a, nil
}

// Accounts returns the active accounts, by name.
func (s *Store) Accounts(ctx context.Context) ([]Account, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts a WHERE a.active = 1 ORDER BY a.name`)
	if err != nil {
		return nil, s.wrap("accounts", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, s.wrap("accounts", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("accounts", err)
	}
	return out, nil
}

// AccountByName returns the account called name, or ErrNotFound.
func (s *Store) AccountByName(ctx context.Context, name string) (Account, error) {
	a, err := scanAccount(s.r.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts a WHERE a.name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, ErrNotFound
	}
	if err != nil {
		return Account{}, s.wrap("account", err)
	}
	return a, nil
}

// SetAccountSynced records a successful sync: the next pull's cursor, the
// time, and a note ("" keeps none).
func (s *Store) SetAccountSynced(ctx context.Context, id int64, cursor string, at time.Time, note string) error {
	_, err := s.w.ExecContext(ctx, `UPDATE accounts SET cursor = ?, last_sync = ?, last_error = '', last_error_at = 0, retry_after = 0,
 last_note = ? WHERE id = ?`, cursor, unix(at), note, id)
	return s.wrap("account synced", err)
}

// SetAccountError records why a sync failed; nothing else of the account
// changes (its cache stays as it was).
func (s *Store) SetAccountError(ctx context.Context, id int64, msg string, at, retryAfter time.Time) error {
	_, err := s.w.ExecContext(ctx, `UPDATE accounts SET last_error = ?, last_error_at = ?, retry_after = ? WHERE id = ?`,
		feed.CleanText(msg), unix(at), unix(retryAfter), id)
	return s.wrap("account error", err)
}

// SetAccountFeeds makes the account's feeds match the server's subscription
// list and returns their feed ids by remote id. Categories become the tag
// "ACCOUNT/CATEGORY". Feeds the server no longer lists are hidden (their
// articles stay in the cache, like a feed removed from the dotfile).
func (s *Store) SetAccountFeeds(ctx context.Context, acct Account, feeds []RemoteFeed) (ids map[string]int64, err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, s.wrap("account feeds", err)
	}
	defer func() {
		if rerr := ignoreDone(tx.Rollback()); rerr != nil {
			err = errors.Join(err, s.wrap("account feeds", rerr))
		}
	}()
	ids = make(map[string]int64, len(feeds))
	keep := make([]int64, 0, len(feeds))
	for i, f := range feeds {
		tags := "[]"
		if c := strings.TrimSpace(f.Category); c != "" {
			if tags, err = tagsJSON([]string{acct.Name + "/" + c}); err != nil {
				return nil, err
			}
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO feeds (url, title, site_url, tags, position, active, account_id)
VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)
ON CONFLICT (url) DO UPDATE SET title = excluded.title, site_url = excluded.site_url, tags = excluded.tags,
 position = excluded.position, active = 1, account_id = excluded.account_id
RETURNING id`, accountFeedURL(acct.Name, f.RemoteID), feed.CleanText(f.Title), f.SiteURL, tags,
			accountFeedPosition+int(acct.ID)<<16+i, acct.ID).Scan(&id); err != nil {
			return nil, s.wrap("account feeds", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO account_feeds (feed_id, account_id, remote_id, feed_url, category, server_unread)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
ON CONFLICT (feed_id) DO UPDATE SET feed_url = excluded.feed_url, category = excluded.category, server_unread = excluded.server_unread
WHERE account_feeds.feed_url IS NOT excluded.feed_url OR account_feeds.category IS NOT excluded.category
   OR account_feeds.server_unread IS NOT excluded.server_unread`,
			id, acct.ID, f.RemoteID, f.FeedURL, feed.CleanText(f.Category), f.Unread); err != nil {
			return nil, s.wrap("account feeds", err)
		}
		ids[f.RemoteID] = id
		keep = append(keep, id)
	}
	list, err := json.Marshal(keep)
	if err != nil {
		return nil, fmt.Errorf("store: account feeds: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE feeds SET active = 0 WHERE account_id = ? AND active = 1
 AND id NOT IN (SELECT value FROM json_each(?))`, acct.ID, string(list)); err != nil {
		return nil, s.wrap("account feeds", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, s.wrap("account feeds", err)
	}
	return ids, nil
}

// AccountFeed is a feed of an account with what the server said about it.
type AccountFeed struct {
	FeedID       int64
	RemoteID     string
	Title        string
	FeedURL      string
	Category     string
	ServerUnread int // -1: the server did not say
	Unread       int // unread articles in the cache
	Active       bool
}

// AccountFeeds returns the account's feeds (active first, in server order).
func (s *Store) AccountFeeds(ctx context.Context, accountID int64) ([]AccountFeed, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT f.id, af.remote_id, `+feedTitleSQL+`, af.feed_url, af.category, af.server_unread,
 f.unread_count, f.active FROM account_feeds af JOIN feeds f ON f.id = af.feed_id
 WHERE af.account_id = ? ORDER BY f.active DESC, f.position, f.id`, accountID)
	if err != nil {
		return nil, s.wrap("account feeds", err)
	}
	defer rows.Close()
	var out []AccountFeed
	for rows.Next() {
		var f AccountFeed
		if err := rows.Scan(&f.FeedID, &f.RemoteID, &f.Title, &f.FeedURL, &f.Category, &f.ServerUnread, &f.Unread, &f.Active); err != nil {
			return nil, s.wrap("account feeds", err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("account feeds", err)
	}
	return out, nil
}

// RemoteID returns the account and remote id of an article pulled from a
// server, or ErrNotFound for a local article.
func (s *Store) RemoteID(ctx context.Context, articleID int64) (accountID int64, remoteID string, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT account_id, remote_id FROM remote_entries WHERE article_id = ?`, articleID).Scan(&accountID, &remoteID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", ErrNotFound
	}
	return accountID, remoteID, s.wrap("remote id", err)
}

// ArticleByRemoteID returns the id of the article pulled as remoteID, or ErrNotFound.
func (s *Store) ArticleByRemoteID(ctx context.Context, accountID int64, remoteID string) (int64, error) {
	var id int64
	err := s.r.QueryRowContext(ctx, `SELECT article_id FROM remote_entries WHERE account_id = ? AND remote_id = ?`, accountID, remoteID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	return id, s.wrap("article by remote id", err)
}

// KnownRemoteIDs returns the remote ids of the account's entries in the cache.
func (s *Store) KnownRemoteIDs(ctx context.Context, accountID int64) (map[string]bool, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT remote_id FROM remote_entries WHERE account_id = ?`, accountID)
	if err != nil {
		return nil, s.wrap("remote ids", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, s.wrap("remote ids", err)
		}
		out[id] = true
	}
	return out, s.wrap("remote ids", rows.Err())
}

// accountErrors lists, as FeedErrors (FeedID 0, Title `account "NAME"`),
// the active accounts whose last sync failed (Error: why; Warning: when it
// last synced and how many changes wait) or left a note (Warning).
func (s *Store) accountErrors(ctx context.Context) ([]FeedError, error) {
	accts, err := s.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	var out []FeedError
	for _, a := range accts {
		if a.LastError == "" && a.Note == "" {
			continue
		}
		fe := FeedError{URL: a.URL, Title: fmt.Sprintf("account %q", a.Name), Error: a.LastError, At: a.LastErrorAt, RetryAfter: a.RetryAfter}
		var w []string
		if a.Note != "" {
			w = append(w, a.Note)
		}
		if a.LastError != "" {
			if a.LastSync.IsZero() {
				w = append(w, "never synced")
			} else {
				w = append(w, "last synced "+a.LastSync.Local().Format("2006-01-02 15:04"))
			}
			if a.Pending > 0 {
				w = append(w, fmt.Sprintf("%d changes waiting to be sent", a.Pending))
			}
		} else {
			fe.At = a.LastSync
		}
		fe.Warning = strings.Join(w, "; ")
		out = append(out, fe)
	}
	return out, nil
}

// FeedAccounts returns the names of the accounts that own any of the feeds
// ids (none for local feeds).
func (s *Store) FeedAccounts(ctx context.Context, ids []int64) ([]string, error) {
	js, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("store: feed accounts: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT a.name FROM feeds f JOIN accounts a ON a.id = f.account_id
 WHERE f.id IN (SELECT value FROM json_each(?)) ORDER BY a.name`, string(js))
	if err != nil {
		return nil, s.wrap("feed accounts", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, s.wrap("feed accounts", err)
		}
		out = append(out, n)
	}
	return out, s.wrap("feed accounts", rows.Err())
}
