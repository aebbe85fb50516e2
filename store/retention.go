package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/brief-reader/brief/feed"
)

// pruneBatch is how many articles one retention transaction deletes: small
// enough that the write lock is never held for long (the reader and other
// processes write too). A variable only so that tests can shrink it.
var pruneBatch = 500

// Prune deletes the feed articles dated before cutoff that are read and not
// starred (unread and starred articles, and linked pages, are never
// deleted), with their bodies, links and full-text entries, in transactions
// of at most pruneBatch articles. Pages first reached from a deleted article
// forget it. Each deleted article's feed and key are remembered while the
// feed still lists it (see FilterPruned), so that a refresh does not bring
// it back as new. It returns how many articles it deleted; on an error the
// batches already committed stay deleted.
func (s *Store) Prune(ctx context.Context, cutoff time.Time) (int64, error) {
	ids, err := s.pruneCandidates(ctx, cutoff)
	if err != nil {
		return 0, err
	}
	var total int64
	for len(ids) > 0 {
		n := min(pruneBatch, len(ids))
		deleted, err := s.pruneBatch(ctx, ids[:n])
		total += deleted
		if err != nil {
			return total, err
		}
		ids = ids[n:]
	}
	return total, nil
}

// pruneCandidates lists the ids Prune may delete, by id: neighbours in the
// tables keyed by id (articles, bodies, links), so that a batch touches few
// pages.
func (s *Store) pruneCandidates(ctx context.Context, cutoff time.Time) ([]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id FROM articles
WHERE feed_id IS NOT NULL AND sort_date < ? AND read = 1 AND starred = 0 ORDER BY id`, unix(cutoff))
	if err != nil {
		return nil, s.wrap("prune", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, s.wrap("prune", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("prune", err)
	}
	return ids, nil
}

// pruneBatch deletes, in one transaction, those of ids that are still read
// and unstarred (the reader may have changed them meanwhile).
func (s *Store) pruneBatch(ctx context.Context, ids []int64) (deleted int64, err error) {
	js, err := json.Marshal(ids)
	if err != nil {
		return 0, fmt.Errorf("store: prune: %w", err)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, s.wrap("prune", err)
	}
	defer func() {
		if rerr := ignoreDone(tx.Rollback()); rerr != nil {
			err = errors.Join(err, s.wrap("prune", rerr))
		}
	}()
	// The batch, checked again inside the transaction.
	steps := []string{
		`CREATE TEMP TABLE IF NOT EXISTS prune_ids (id INTEGER PRIMARY KEY)`,
		`DELETE FROM temp.prune_ids`,
		`INSERT INTO temp.prune_ids SELECT a.id FROM articles a JOIN json_each(?1) j ON a.id = j.value
 WHERE a.feed_id IS NOT NULL AND a.read = 1 AND a.starred = 0`,
		`INSERT OR IGNORE INTO pruned (feed_id, key) SELECT feed_id, key FROM articles WHERE id IN temp.prune_ids`,
		`DELETE FROM articles_fts WHERE rowid IN temp.prune_ids`,
		`UPDATE articles SET linked_from = NULL WHERE linked_from IN temp.prune_ids`,
	}
	for i, q := range steps {
		var args []any
		if i == 2 {
			args = []any{string(js)}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return 0, s.wrap("prune", err)
		}
	}
	// The deleted articles are read: only the feeds' totals change.
	if _, err := tx.ExecContext(ctx, `UPDATE feeds SET total_count = total_count - d.n
FROM (SELECT feed_id, count(*) AS n FROM articles WHERE id IN temp.prune_ids GROUP BY feed_id) AS d
WHERE feeds.id = d.feed_id`); err != nil {
		return 0, s.wrap("prune", err)
	}
	// Bodies, links and page aliases go with their article (ON DELETE CASCADE).
	res, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE id IN temp.prune_ids`)
	if err != nil {
		return 0, s.wrap("prune", err)
	}
	if deleted, err = res.RowsAffected(); err != nil {
		return 0, s.wrap("prune", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM temp.prune_ids`); err != nil {
		return 0, s.wrap("prune", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, s.wrap("prune", err)
	}
	return deleted, nil
}

// FilterPruned returns the items of the feed at feedURL (as fetched) without
// those Prune deleted, so that a refresh does not store them again as new.
// Deleted articles the feed no longer lists are forgotten. items is not
// changed; with nothing deleted from this feed it is returned as is.
func (s *Store) FilterPruned(ctx context.Context, feedURL string, items []feed.Item) ([]feed.Item, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT p.feed_id, p.key FROM pruned p JOIN feeds f ON f.id = p.feed_id WHERE f.url = ?`, feedURL)
	if err != nil {
		return nil, s.wrap("retention", err)
	}
	defer rows.Close()
	var feedID int64
	gone := map[string]bool{}
	for rows.Next() {
		var key string
		if err := rows.Scan(&feedID, &key); err != nil {
			return nil, s.wrap("retention", err)
		}
		gone[key] = true
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("retention", err)
	}
	if len(gone) == 0 {
		return items, nil
	}
	listed := make(map[string]bool, len(gone))
	kept := make([]feed.Item, 0, len(items))
	for _, it := range items {
		if gone[it.Key] {
			listed[it.Key] = true
			continue
		}
		kept = append(kept, it)
	}
	var stale []string
	for k := range gone {
		if !listed[k] {
			stale = append(stale, k)
		}
	}
	if len(stale) > 0 {
		js, err := json.Marshal(stale)
		if err != nil {
			return nil, fmt.Errorf("store: retention: %w", err)
		}
		if _, err := s.w.ExecContext(ctx, `DELETE FROM pruned WHERE feed_id = ? AND key IN (SELECT value FROM json_each(?))`, feedID, string(js)); err != nil {
			return nil, s.wrap("retention", err)
		}
	}
	return kept, nil
}

// SkipPruned wraps f so that every feed it fetches passes through
// FilterPruned before the refresh stores it. A feed that cannot be checked
// fails with the error (rather than bring deleted articles back).
func (s *Store) SkipPruned(f Fetcher) Fetcher { return skipPruned{f: f, s: s} }

type skipPruned struct {
	f Fetcher
	s *Store
}

func (p skipPruned) FetchAll(ctx context.Context, reqs []feed.Request) <-chan feed.Result {
	in := p.f.FetchAll(ctx, reqs)
	out := make(chan feed.Result)
	go func() {
		defer close(out)
		for res := range in {
			if res.Feed != nil && res.Err == nil {
				// Not canceled with ctx: what was fetched is still stored.
				items, err := p.s.FilterPruned(context.WithoutCancel(ctx), res.URL, res.Feed.Items)
				if err != nil {
					res.Feed, res.Err = nil, err
				} else {
					fc := *res.Feed
					fc.Items = items
					res.Feed = &fc
				}
			}
			out <- res
		}
	}()
	return out
}

// StoredItems tells, for each of items fetched from the feed at feedURL,
// whether the store holds it already: as an article of that feed, or as
// one deleted by retention (see FilterPruned).
func (s *Store) StoredItems(ctx context.Context, feedURL string, items []feed.Item) ([]bool, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT a.key FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE f.url = ?1
 UNION ALL SELECT p.key FROM pruned p JOIN feeds f ON f.id = p.feed_id WHERE f.url = ?1`, feedURL)
	if err != nil {
		return nil, s.wrap("full text", err)
	}
	defer rows.Close()
	known := map[string]bool{}
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			return nil, s.wrap("full text", err)
		}
		known[key] = true
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("full text", err)
	}
	out := make([]bool, len(items))
	for i := range items {
		key := items[i].Key
		if key == "" {
			key = fallbackKey(&items[i])
		}
		out[i] = known[key]
	}
	return out, nil
}
