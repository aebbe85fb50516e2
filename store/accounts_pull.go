package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// remoteKey is the article key of a pulled entry: the server's id is stable.
func remoteKey(remoteID string) string { return "remote:" + remoteID }

// StoreRemoteEntries writes pulled entries of an account in one transaction:
// each through the same upsert as a feed's items (an unchanged entry writes
// nothing), mapped to its remote id, with the server's read/starred state
// applied unless a local change of the same field waits in the queue and is
// later than the server's change (then the local one wins and is pushed;
// otherwise the queued change is dropped as superseded). feedIDs maps remote
// feed ids to feed ids (SetAccountFeeds); entries of other feeds are skipped.
func (s *Store) StoreRemoteEntries(ctx context.Context, accountID int64, feedIDs map[string]int64, entries []RemoteEntry) (res PullResult, err error) {
	w, err := s.begin(ctx, time.Now())
	if err != nil {
		return PullResult{}, s.wrap("pull", err)
	}
	defer func() {
		if rerr := w.rollback(); rerr != nil {
			err = errors.Join(err, s.wrap("pull", rerr))
		}
	}()
	if err := setApplying(ctx, w.tx, true); err != nil {
		return PullResult{}, s.wrap("pull", err)
	}
	cached, err := cachedRemote(ctx, w.tx, accountID, entries)
	if err != nil {
		return PullResult{}, s.wrap("pull", err)
	}
	for i := range entries {
		e := &entries[i]
		feedID, ok := feedIDs[e.FeedRemoteID]
		if !ok {
			res.Unknown++
			continue
		}
		if err := w.storeRemote(ctx, accountID, feedID, e, cached[e.RemoteID], &res); err != nil {
			return PullResult{}, s.wrap("pull", err)
		}
	}
	if err := setApplying(ctx, w.tx, false); err != nil {
		return PullResult{}, s.wrap("pull", err)
	}
	if err := w.commit(ctx); err != nil {
		return PullResult{}, s.wrap("pull", err)
	}
	return res, nil
}

// setApplying switches the queue triggers off (on) while the server's state
// is applied; only ever inside a write transaction, so no other change of
// state can happen meanwhile.
func setApplying(ctx context.Context, tx *sql.Tx, on bool) error {
	_, err := tx.ExecContext(ctx, `UPDATE sync_flags SET applying = ? WHERE id = 1`, on)
	return err
}

// queryRow runs a one-row query, prepared once per transaction like exec:
// a pull runs the same few queries for every entry, and parsing SQL was a
// third of its CPU.
func (w *writer) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	st := w.stmts[query]
	if st == nil {
		var err error
		if st, err = w.tx.PrepareContext(ctx, query); err != nil {
			return w.tx.QueryRowContext(ctx, query, args...) // reports the same error through Scan
		}
		w.stmts[query] = st
	}
	return st.QueryRowContext(ctx, args...)
}

// remoteState is what the cache holds of a pulled entry.
type remoteState struct {
	artID, changed int64
	read, starred  bool
}

// cachedRemote looks up, in one query, the entries of a page the cache has
// (by remote id) and their state; a nil entry in the map: not cached.
func cachedRemote(ctx context.Context, tx *sql.Tx, accountID int64, entries []RemoteEntry) (map[string]*remoteState, error) {
	ids := make([]string, len(entries))
	for i := range entries {
		ids[i] = entries[i].RemoteID
	}
	js, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("store: pull: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT r.remote_id, r.article_id, r.changed, a.read, a.starred FROM remote_entries r
 JOIN articles a ON a.id = r.article_id WHERE r.account_id = ? AND r.remote_id IN (SELECT value FROM json_each(?))`, accountID, string(js))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*remoteState{}
	for rows.Next() {
		var id string
		var st remoteState
		if err := rows.Scan(&id, &st.artID, &st.changed, &st.read, &st.starred); err != nil {
			return nil, err
		}
		out[id] = &st
	}
	return out, rows.Err()
}

// storeRemote writes one pulled entry; cached is what the cache held of it
// when the page's transaction began (nil: nothing).
func (w *writer) storeRemote(ctx context.Context, accountID, feedID int64, e *RemoteEntry, cached *remoteState, res *PullResult) error {
	var artID, changed int64
	var read, starred bool
	known := cached != nil
	if known {
		artID, changed, read, starred = cached.artID, cached.changed, cached.read, cached.starred
	}
	key := remoteKey(e.RemoteID)
	it := e.Item
	it.Key = key
	id, inserted, _, err := w.storeItem(ctx, feedID, key, &it)
	if err != nil {
		return err
	}
	serverChanged := e.Changed.UnixMilli()
	if e.Changed.IsZero() {
		serverChanged = 0
	}
	if inserted {
		res.New++
		res.Written++
		if _, err := w.exec(ctx, `INSERT INTO remote_entries (article_id, account_id, remote_id, changed) VALUES (?, ?, ?, ?)
ON CONFLICT (account_id, remote_id) DO UPDATE SET article_id = excluded.article_id, changed = excluded.changed`,
			id, accountID, e.RemoteID, serverChanged); err != nil {
			return err
		}
		if e.Read || e.Starred {
			_, err := w.exec(ctx, `UPDATE articles SET read = ?, starred = ? WHERE id = ?`, e.Read, e.Starred, id)
			return err
		}
		return nil
	}
	written := id != 0
	if !known {
		// The article is there (same feed and key) but was never mapped.
		if err := w.queryRow(ctx, `SELECT id, read, starred FROM articles WHERE feed_id = ? AND key = ?`, feedID, key).
			Scan(&artID, &read, &starred); err != nil {
			return err
		}
		if _, err := w.exec(ctx, `INSERT OR REPLACE INTO remote_entries (article_id, account_id, remote_id, changed) VALUES (?, ?, ?, ?)`,
			artID, accountID, e.RemoteID, serverChanged); err != nil {
			return err
		}
	} else if changed != serverChanged && serverChanged != 0 {
		if _, err := w.exec(ctx, `UPDATE remote_entries SET changed = ? WHERE article_id = ?`, serverChanged, artID); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		field         string
		server, local bool
	}{{"read", e.Read, read}, {"starred", e.Starred, starred}} {
		if f.server == f.local {
			continue
		}
		applied, superseded, err := w.applyState(ctx, artID, f.field, f.server, serverChanged)
		if err != nil {
			return err
		}
		res.Superseded += superseded
		written = written || applied
	}
	if written {
		res.Written++
	}
	return nil
}

// applyState sets field of article id to the server's value, unless a queued
// local change of it is later than the server's change (serverChanged, unix
// ms; 0: unknown, and then the local change wins). Queued changes the server
// value wins over are deleted; superseded counts them.
func (w *writer) applyState(ctx context.Context, id int64, field string, value bool, serverChanged int64) (applied bool, superseded int, err error) {
	var pendingAt sql.NullInt64
	var n int
	var pushed int64
	if err := w.queryRow(ctx, `SELECT max(at), count(*), coalesce((SELECT pushed FROM remote_entries WHERE article_id = ?1), 0)
 FROM sync_queue WHERE article_id = ?1 AND field = ?2`, id, field).Scan(&pendingAt, &n, &pushed); err != nil {
		return false, 0, err
	}
	// The server's change may be brief's own push of this entry (of the other
	// field, or of this one cut short before its answer): then it is no newer
	// change of the field, and the queued local one stays.
	ours := pushed > 0 && serverChanged <= pushed+pushSlack.Milliseconds()
	if n > 0 && (serverChanged == 0 || pendingAt.Int64 > serverChanged || ours) {
		return false, 0, nil // the local change is later: it stays, and is pushed
	}
	if n > 0 {
		if _, err := w.exec(ctx, `DELETE FROM sync_queue WHERE article_id = ? AND field = ?`, id, field); err != nil {
			return false, 0, err
		}
	}
	col := "read"
	if field == "starred" {
		col = "starred"
	}
	if _, err := w.exec(ctx, `UPDATE articles SET `+col+` = ? WHERE id = ?`, value, id); err != nil {
		return false, 0, err
	}
	return true, n, nil
}

// StateChange is a difference between the server's and the cache's state of
// one entry.
type StateChange struct {
	ArticleID int64
	RemoteID  string
	Field     string    // read | starred
	Value     bool      // the server's
	Pending   bool      // a local change of the field waits in the queue
	Changed   time.Time // the server's change time, when known (set by the caller)
}

// RemoteStateChanges compares the server's state of every cached entry of the
// account (unread and starred: the ids the server lists as unread and as
// starred; any other entry is read and not starred) with the cache's.
func (s *Store) RemoteStateChanges(ctx context.Context, accountID int64, unread, starred map[string]bool) ([]StateChange, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT r.article_id, r.remote_id, a.read, a.starred,
 EXISTS (SELECT 1 FROM sync_queue q WHERE q.article_id = r.article_id AND q.field = 'read'),
 EXISTS (SELECT 1 FROM sync_queue q WHERE q.article_id = r.article_id AND q.field = 'starred')
 FROM remote_entries r JOIN articles a ON a.id = r.article_id WHERE r.account_id = ?`, accountID)
	if err != nil {
		return nil, s.wrap("state", err)
	}
	defer rows.Close()
	var out []StateChange
	for rows.Next() {
		var id int64
		var rid string
		var read, star, pr, ps bool
		if err := rows.Scan(&id, &rid, &read, &star, &pr, &ps); err != nil {
			return nil, s.wrap("state", err)
		}
		if want := !unread[rid]; want != read {
			out = append(out, StateChange{ArticleID: id, RemoteID: rid, Field: "read", Value: want, Pending: pr})
		}
		if want := starred[rid]; want != star {
			out = append(out, StateChange{ArticleID: id, RemoteID: rid, Field: "starred", Value: want, Pending: ps})
		}
	}
	return out, s.wrap("state", rows.Err())
}

// ApplyStateChanges applies the server's state in one transaction, with the
// rule of StoreRemoteEntries for queued local changes.
func (s *Store) ApplyStateChanges(ctx context.Context, changes []StateChange) (res PullResult, err error) {
	if len(changes) == 0 {
		return PullResult{}, nil
	}
	w, err := s.begin(ctx, time.Now())
	if err != nil {
		return PullResult{}, s.wrap("apply state", err)
	}
	defer func() {
		if rerr := w.rollback(); rerr != nil {
			err = errors.Join(err, s.wrap("apply state", rerr))
		}
	}()
	if err := setApplying(ctx, w.tx, true); err != nil {
		return PullResult{}, s.wrap("apply state", err)
	}
	written := map[int64]bool{}
	for _, c := range changes {
		var ms int64
		if !c.Changed.IsZero() {
			ms = c.Changed.UnixMilli()
		}
		applied, sup, err := w.applyState(ctx, c.ArticleID, c.Field, c.Value, ms)
		if err != nil {
			return PullResult{}, s.wrap("apply state", err)
		}
		res.Superseded += sup
		if applied {
			written[c.ArticleID] = true
		}
	}
	res.Written = len(written)
	if err := setApplying(ctx, w.tx, false); err != nil {
		return PullResult{}, s.wrap("apply state", err)
	}
	if err := w.commit(ctx); err != nil {
		return PullResult{}, s.wrap("apply state", err)
	}
	return res, nil
}

// PendingActions returns the account's queued changes, oldest first.
func (s *Store) PendingActions(ctx context.Context, accountID int64) ([]Action, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT q.id, q.article_id, q.remote_id, q.field, q.value, q.at,
 EXISTS (SELECT 1 FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.id = q.article_id AND f.active = 0)
 FROM sync_queue q WHERE q.account_id = ? ORDER BY q.id`, accountID)
	if err != nil {
		return nil, s.wrap("queue", err)
	}
	defer rows.Close()
	var out []Action
	for rows.Next() {
		var a Action
		var at int64
		if err := rows.Scan(&a.ID, &a.ArticleID, &a.RemoteID, &a.Field, &a.Value, &at, &a.FeedGone); err != nil {
			return nil, s.wrap("queue", err)
		}
		a.At = time.UnixMilli(at)
		out = append(out, a)
	}
	return out, s.wrap("queue", rows.Err())
}

// pushSlack is how long after brief sent a change of an entry the server's
// change time of that entry is taken as brief's own (a request's time on the
// wire and the server's work; clocks are assumed to agree, as for the rest of
// "the later change wins").
const pushSlack = 2 * time.Minute

// MarkPushing records that changes of the given articles are about to be
// sent, before the request goes: see schemaPushMarks.
func (s *Store) MarkPushing(ctx context.Context, articleIDs []int64, at time.Time) error {
	if len(articleIDs) == 0 {
		return nil
	}
	ids, err := json.Marshal(articleIDs)
	if err != nil {
		return fmt.Errorf("store: queue: %w", err)
	}
	_, err = s.w.ExecContext(ctx, `UPDATE remote_entries SET pushed = ? WHERE article_id IN (SELECT value FROM json_each(?))`,
		at.UnixMilli(), string(ids))
	return s.wrap("queue", err)
}

// DoneActions removes queued changes the server now has (or that are
// dropped): those of field on the given articles queued up to upTo (changes
// queued later are kept for the next push).
func (s *Store) DoneActions(ctx context.Context, accountID, upTo int64, field string, articleIDs []int64) error {
	if len(articleIDs) == 0 {
		return nil
	}
	ids, err := json.Marshal(articleIDs)
	if err != nil {
		return fmt.Errorf("store: queue: %w", err)
	}
	_, err = s.w.ExecContext(ctx, `DELETE FROM sync_queue WHERE account_id = ? AND id <= ? AND field = ?
 AND article_id IN (SELECT value FROM json_each(?))`, accountID, upTo, field, string(ids))
	return s.wrap("queue", err)
}
