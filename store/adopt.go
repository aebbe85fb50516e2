package store

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/brief-reader/brief/feed"
)

// This file keeps a story's row when its key changes form. feed makes the
// keys of items that share a GUID (or, without GUIDs, a link) unique with a
// suffix: "guid:G#<link>", "guid:G#hash:H", "url:U#hash:H". Whether the
// suffix is there depends on the other items of the same fetch, so a feed
// that goes from one item with GUID G to two (or back) changes the key of an
// item the user may have read or starred. When an item's key matches no row,
// the writer looks for a row of the same feed that is the same story under
// another form of the key, and gives that row the new key.

// miss is an item whose key matched no row of its feed: a row was inserted
// for it.
type miss struct {
	id   int64 // the row inserted for it
	item *feed.Item
	key  string
	hash []byte // the article hash of the item (see prepareItem)
}

// storyRow is a stored article that may be a miss's story.
type storyRow struct {
	id            int64
	key           string
	hash          []byte
	starred, read bool
}

// storyRowsSQL finds the articles of a feed with one link and GUID that were
// stored before the transaction (?4: the highest rowid when it began), through
// the index articles_story.
const storyRowsSQL = `SELECT id, key, hash, starred, read FROM articles
WHERE url_norm = ?1 AND feed_id = ?2 AND guid = ?3 AND id <= ?4`

// adoptStories gives stored articles whose key changed form the key their
// item has now, keeping their id, read and starred state. A miss adopts a row
// of its feed stored before this transaction with the same GUID and
// normalised link, whose key is another form of the miss's key (see
// keyFamily) and is claimed by no item of this fetch (claimed). When a
// content hash tells the forms apart ("#hash:…" on either key), different
// items share the link and GUID, and the row must also have the item's exact
// content: a title is no proof (status feeds repeat theirs), and taking a new
// item for an old one would hide it as read. Each row is adopted once at
// most, best match first: same content, then the others; starred and read
// rows first. The rows inserted for adopting misses are left for commit to
// delete (w.dropped) and their items written again onto the adopted rows.
// It returns how many misses adopted a row.
func (w *writer) adoptStories(ctx context.Context, feedID int64, misses []miss, claimed map[string]bool) (int, error) {
	var stored bool
	err := w.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM articles WHERE feed_id = ? AND id <= ?)`,
		feedID, w.maxID).Scan(&stored)
	if err != nil || !stored {
		return 0, err // nothing stored before: a new feed has nothing to adopt
	}
	type match struct {
		miss  int
		row   storyRow
		score int
	}
	var matches []match
	for i, m := range misses {
		family, ok := keyFamily(m.item, m.key)
		if !ok {
			continue
		}
		rows, err := w.storyRows(ctx, feedID, m.item)
		if err != nil {
			return 0, err
		}
		for _, r := range rows {
			if claimed[r.key] || !inFamily(r.key, family) {
				continue
			}
			if s := storyScore(m, r, family); s > 0 {
				matches = append(matches, match{miss: i, row: r, score: s})
			}
		}
	}
	slices.SortStableFunc(matches, func(a, b match) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmpTrue(a.row.starred, b.row.starred),
			cmpTrue(a.row.read, b.row.read), cmp.Compare(a.row.id, b.row.id))
	})
	taken, done := map[int64]bool{}, map[int]bool{}
	adopted := 0
	for _, mt := range matches {
		if taken[mt.row.id] || done[mt.miss] {
			continue
		}
		taken[mt.row.id], done[mt.miss] = true, true
		if err := w.adopt(ctx, feedID, misses[mt.miss], mt.row.id); err != nil {
			return 0, err
		}
		adopted++
	}
	for i, m := range misses {
		if done[i] || m.item.GUID == "" {
			continue
		}
		id, err := w.churnedRow(ctx, feedID, m.item, claimed, taken)
		if err != nil {
			return 0, err
		}
		if id == 0 {
			continue
		}
		taken[id] = true
		if err := w.adopt(ctx, feedID, m, id); err != nil {
			return 0, err
		}
		adopted++
	}
	return adopted, nil
}

// churnedRowsSQL finds the articles of a feed stored before the transaction
// (?6) with another GUID than ?3 but the same normalised link, title and
// publication date, through the index articles_story.
const churnedRowsSQL = `SELECT id, key FROM articles
WHERE url_norm = ?1 AND feed_id = ?2 AND guid <> ?3 AND guid <> '' AND title = ?4 AND published = ?5 AND published <> 0 AND id <= ?6
ORDER BY starred DESC, read DESC, id`

// churnedRow returns a row of feed feedID that is it under a GUID the feed
// has since rewritten (GUID churn: a move to https, a new CMS): a row with
// another GUID, claimed by no item of this fetch, with its normalised link,
// title and (set) publication date; 0 when there is none. The date keeps a
// status feed's new update, which repeats an old one's link and title, from
// taking the old one's row and read state.
func (w *writer) churnedRow(ctx context.Context, feedID int64, it *feed.Item, claimed map[string]bool, taken map[int64]bool) (int64, error) {
	norm := feed.NormalizeURL(it.URL)
	if norm == "" || it.Title == "" || it.Published.IsZero() {
		return 0, nil
	}
	rows, err := w.tx.QueryContext(ctx, churnedRowsSQL, norm, feedID, it.GUID, it.Title, unix(it.Published), w.maxID)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			return 0, err
		}
		if !claimed[key] && !taken[id] {
			return id, nil
		}
	}
	return 0, rows.Err()
}

// storyRows returns the rows of feed feedID stored before the transaction
// with the link and GUID of it.
func (w *writer) storyRows(ctx context.Context, feedID int64, it *feed.Item) ([]storyRow, error) {
	st := w.stmts[storyRowsSQL]
	if st == nil {
		var err error
		if st, err = w.tx.PrepareContext(ctx, storyRowsSQL); err != nil {
			return nil, err
		}
		w.stmts[storyRowsSQL] = st
	}
	rows, err := st.QueryContext(ctx, feed.NormalizeURL(it.URL), feedID, it.GUID, w.maxID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storyRow
	for rows.Next() {
		var r storyRow
		if err := rows.Scan(&r.id, &r.key, &r.hash, &r.starred, &r.read); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// adopt moves miss m onto row id: the row inserted for m is set aside (its
// key freed; commit deletes it), row id takes m's key, and m's item is
// written again, now onto row id.
func (w *writer) adopt(ctx context.Context, feedID int64, m miss, id int64) error {
	// Deleting the inserted row now could lower the highest rowid, and the
	// next insert would reuse it: written tells inserts by rising rowids.
	if _, err := w.tx.ExecContext(ctx, `UPDATE articles SET key = ? WHERE id = ?`, fmt.Sprintf("dropped:%d", m.id), m.id); err != nil {
		return err
	}
	w.dropped = append(w.dropped, m.id)
	if _, err := w.tx.ExecContext(ctx, `UPDATE articles SET key = ? WHERE id = ?`, m.key, id); err != nil {
		return err
	}
	_, inserted, _, err := w.storeItem(ctx, feedID, m.key, m.item)
	if err == nil && inserted {
		err = fmt.Errorf("adopt: item %q inserted again", m.key)
	}
	return err
}

// keyFamily returns the part every form of an item's key starts with:
// "guid:" and its GUID, or "url:" and its normalised link for an item without
// a GUID. ok is false when the key has no other form (an item with neither,
// keyed by its hash) or is not one of these forms (too long, so hashed by feed).
func keyFamily(it *feed.Item, key string) (family string, ok bool) {
	switch {
	case it.GUID != "":
		family = "guid:" + it.GUID
	case it.URL != "":
		if norm := feed.NormalizeURL(it.URL); norm != "" {
			family = "url:" + norm
		}
	}
	return family, family != "" && inFamily(key, family)
}

// inFamily reports whether key is family or family followed by a "#" suffix.
func inFamily(key, family string) bool {
	rest, ok := strings.CutPrefix(key, family)
	return ok && (rest == "" || rest[0] == '#')
}

// storyScore rates row r as the story of miss m: 2 same content, 1 another
// form of the key when no content hash tells items apart, 0 not its story.
func storyScore(m miss, r storyRow, family string) int {
	switch {
	case bytes.Equal(m.hash, r.hash):
		return 2
	case !hashed(m.key, family) && !hashed(r.key, family):
		return 1
	}
	return 0
}

// hashed reports whether key (of family) tells items apart by content.
func hashed(key, family string) bool {
	return strings.HasPrefix(key[len(family):], "#hash:")
}

// cmpTrue orders true before false.
func cmpTrue(a, b bool) int {
	return cmp.Compare(boolInt(b), boolInt(a))
}
