package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// SyncFeeds makes the stored feeds match the dotfile: specs are added or
// updated in their order; feeds no longer listed become inactive (hidden from
// every list, count and refresh, but their articles and state are kept, and
// come back if the feed is listed again). Entries with an empty URL are
// ignored; a URL listed twice keeps its first place.
//
// When the stored feeds already match, nothing is written: the reader's
// start (which syncs every time) then need not wait for the integrity check
// of a large cache (see check.go).
func (s *Store) SyncFeeds(ctx context.Context, specs []FeedSpec) (err error) {
	if same, err := s.feedsInSync(ctx, specs); err != nil || same {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap("sync feeds", err)
	}
	defer func() {
		if rerr := ignoreDone(tx.Rollback()); rerr != nil {
			err = errors.Join(err, s.wrap("sync feeds", rerr))
		}
	}()
	stmt, err := tx.PrepareContext(ctx, `
INSERT INTO feeds (url, title, tags, position, active) VALUES (?1, ?2, ?3, ?4, 1)
ON CONFLICT (url) DO UPDATE SET title = excluded.title, tags = excluded.tags, position = excluded.position, active = 1
WHERE feeds.title IS NOT excluded.title OR feeds.tags IS NOT excluded.tags
   OR feeds.position IS NOT excluded.position OR feeds.active <> 1`)
	if err != nil {
		return s.wrap("sync feeds", err)
	}
	defer stmt.Close()
	seen := map[string]bool{}
	urls := []string{}
	for _, spec := range specs {
		u := strings.TrimSpace(spec.URL)
		if u == "" || seen[u] {
			continue
		}
		seen[u] = true
		tags, err := tagsJSON(spec.Tags)
		if err != nil {
			return err
		}
		if _, err := stmt.ExecContext(ctx, u, strings.TrimSpace(spec.Title), tags, len(urls)); err != nil {
			return s.wrap("sync feeds", err)
		}
		urls = append(urls, u)
	}
	list, err := json.Marshal(urls)
	if err != nil {
		return fmt.Errorf("store: sync feeds: %w", err)
	}
	if _, err := tx.ExecContext(ctx,
		`UPDATE feeds SET active = 0 WHERE active = 1 AND account_id IS NULL AND url NOT IN (SELECT value FROM json_each(?))`, string(list)); err != nil {
		return s.wrap("sync feeds", err)
	}
	return s.wrap("sync feeds", tx.Commit())
}

// feedsInSync reports whether the active feeds are exactly specs (as
// SyncFeeds would store them), read without writing.
func (s *Store) feedsInSync(ctx context.Context, specs []FeedSpec) (bool, error) {
	type row struct{ url, title, tags string }
	var want []row
	seen := map[string]bool{}
	for _, spec := range specs {
		u := strings.TrimSpace(spec.URL)
		if u == "" || seen[u] {
			continue
		}
		seen[u] = true
		tags, err := tagsJSON(spec.Tags)
		if err != nil {
			return false, err
		}
		want = append(want, row{u, strings.TrimSpace(spec.Title), tags})
	}
	rows, err := s.r.QueryContext(ctx, `SELECT url, title, tags, position FROM feeds WHERE active = 1 ORDER BY position, id`)
	if err != nil {
		return false, s.wrap("sync feeds", err)
	}
	defer rows.Close()
	i := 0
	same := true
	for rows.Next() {
		var r row
		var pos int
		if err := rows.Scan(&r.url, &r.title, &r.tags, &pos); err != nil {
			return false, s.wrap("sync feeds", err)
		}
		if i >= len(want) || want[i] != r || pos != i {
			same = false
		}
		i++
	}
	if err := rows.Err(); err != nil {
		return false, s.wrap("sync feeds", err)
	}
	return same && i == len(want), nil
}

// tagsJSON encodes tags (trimmed, empty ones dropped) as a JSON array.
func tagsJSON(tags []string) (string, error) {
	clean := make([]string, 0, len(tags))
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" {
			clean = append(clean, t)
		}
	}
	b, err := json.Marshal(clean)
	if err != nil {
		return "", fmt.Errorf("store: tags: %w", err)
	}
	return string(b), nil
}

// feedTitleSQL is the title shown for feed f: the dotfile's, else the feed's own, else its URL.
const feedTitleSQL = `coalesce(nullif(f.title, ''), nullif(f.feed_title, ''), f.url)`

// Feeds returns the active feeds in dotfile order, each with its unread and
// total counts (kept with the feed: see the schema).
func (s *Store) Feeds(ctx context.Context) ([]Feed, error) {
	rows, err := s.r.QueryContext(ctx, `
SELECT f.id, f.url, `+feedTitleSQL+`, f.site_url, f.tags, f.etag, f.last_modified,
       f.last_fetched, f.last_error, f.last_error_at, f.retry_after, f.last_warning,
       f.unread_count, f.total_count, coalesce((SELECT a.name FROM accounts a WHERE a.id = f.account_id), '')
FROM feeds f WHERE f.active = 1 ORDER BY f.position, f.id`)
	if err != nil {
		return nil, s.wrap("feeds", err)
	}
	defer rows.Close()
	var feeds []Feed
	for rows.Next() {
		var f Feed
		var tags string
		var fetched, errAt, retry int64
		if err := rows.Scan(&f.ID, &f.URL, &f.Title, &f.SiteURL, &tags, &f.ETag, &f.LastModified,
			&fetched, &f.LastError, &errAt, &retry, &f.Warning, &f.Unread, &f.Total, &f.Account); err != nil {
			return nil, s.wrap("feeds", err)
		}
		if err := json.Unmarshal([]byte(tags), &f.Tags); err != nil {
			return nil, fmt.Errorf("store: feeds: tags of %s: %w", f.URL, err)
		}
		f.LastFetched, f.LastErrorAt, f.RetryAfter = fromUnix(fetched), fromUnix(errAt), fromUnix(retry)
		feeds = append(feeds, f)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("feeds", err)
	}
	return feeds, nil
}

// hiddenCopiesSQL counts the copies the All, Unread and Starred lists hide
// (see storyOnce): in each story with copies, all but one of those each
// list would show. Only stories with copies are read (articles_copies).
const hiddenCopiesSQL = `SELECT coalesce(sum(max(n - 1, 0)), 0), coalesce(sum(max(u - 1, 0)), 0), coalesce(sum(max(st - 1, 0)), 0)
FROM (SELECT count(*) n, sum(a.read = 0) u, sum(a.starred = 1) st FROM articles a
 WHERE a.story_id IN (SELECT story_id FROM articles WHERE story_id <> id) AND ` + activeFeed + `
 GROUP BY a.story_id)`

// Counts returns the sizes of the All, Unread and Starred lists (a story
// in several feeds counts once: see stories.go).
func (s *Store) Counts(ctx context.Context) (Counts, error) {
	var c Counts
	err := s.r.QueryRowContext(ctx, `
SELECT coalesce(sum(total_count), 0), coalesce(sum(unread_count), 0),
 (SELECT count(*) FROM articles a WHERE a.starred = 1 AND `+activeFeed+`)
FROM feeds WHERE active = 1`).
		Scan(&c.All, &c.Unread, &c.Starred)
	if err != nil {
		return Counts{}, s.wrap("counts", err)
	}
	var all, unread, starred int
	if err := s.r.QueryRowContext(ctx, hiddenCopiesSQL).Scan(&all, &unread, &starred); err != nil {
		return Counts{}, s.wrap("counts", err)
	}
	c.All, c.Unread, c.Starred = c.All-all, c.Unread-unread, c.Starred-starred
	return c, nil
}

// Errors returns the sync accounts whose last sync failed or left a note
// (see accountErrors), then the active feeds whose last fetch failed, in dotfile order,
// then those whose last fetched document had problems that did not fail it
// (FeedError.Warning set, Error ""). A failing feed's warning, if any, is in
// Warning too. A feed waiting for its Retry-After time says until when in
// Error.
func (s *Store) Errors(ctx context.Context) ([]FeedError, error) {
	rows, err := s.r.QueryContext(ctx, `
SELECT f.id, f.url, `+feedTitleSQL+`, f.last_error, f.last_error_at, f.retry_after, f.last_warning, f.last_fetched
FROM feeds f WHERE f.active = 1 AND (f.last_error <> '' OR f.last_warning <> '')
ORDER BY f.last_error = '', f.position, f.id`)
	if err != nil {
		return nil, s.wrap("errors", err)
	}
	defer rows.Close()
	var out []FeedError
	for rows.Next() {
		var e FeedError
		var at, retry, fetched int64
		if err := rows.Scan(&e.FeedID, &e.URL, &e.Title, &e.Error, &at, &retry, &e.Warning, &fetched); err != nil {
			return nil, s.wrap("errors", err)
		}
		// The feed's own message already says until when (feed.HTTPError).
		e.At, e.RetryAfter = fromUnix(at), fromUnix(retry)
		if e.Error == "" {
			e.At = fromUnix(fetched)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("errors", err)
	}
	accts, err := s.accountErrors(ctx)
	if err != nil {
		return nil, err
	}
	return append(accts, out...), nil
}
