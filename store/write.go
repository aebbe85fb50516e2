package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"slices"
	"time"

	"github.com/brief-reader/brief/feed"
)

// futureSlack is how far ahead of now an item's date may be before it is
// treated as bogus (the first-seen time is used instead, so an item dated
// years ahead does not sit on top of every list).
const futureSlack = 24 * time.Hour

// upsertArticleSQL inserts a feed article or, when anything a feed may change
// differs (compared through hash), updates it. read and starred are never
// touched. The date is ?2 (0: none), else the first-seen time, kept from the
// first insert. It is a single-row statement without RETURNING or triggers
// so that SQLite needs no statement journal for it (which would copy every
// page the transaction already changed, at every row).
const upsertArticleSQL = `
INSERT INTO articles (feed_id, sort_date, first_seen, published, updated, hash, key, title, url, url_norm, guid, author)
VALUES (?1, CASE WHEN ?2 <> 0 THEN ?2 ELSE ?3 END, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
ON CONFLICT (feed_id, key) DO UPDATE SET
	sort_date = CASE WHEN ?2 <> 0 THEN ?2 ELSE articles.first_seen END,
	published = excluded.published, updated = excluded.updated, hash = excluded.hash,
	title = excluded.title, url = excluded.url, url_norm = excluded.url_norm, guid = excluded.guid,
	author = excluded.author
WHERE articles.hash IS NOT excluded.hash`

// Single-row statements for the bodies and links of written articles.
const (
	insertBodySQL = `INSERT INTO bodies (id, body) VALUES (?, ?)`
	updateBodySQL = `UPDATE bodies SET body = ?2 WHERE id = ?1`
	insertLinkSQL = `INSERT INTO links (article_id, n, text, url, url_norm, read_also) VALUES (?, ?, ?, ?, ?, ?)`
	deleteLinkSQL = `DELETE FROM links WHERE article_id = ?`
)

// storedLink is a link with its normalised URL.
type storedLink struct {
	feed.Link
	Norm string
}

// writer holds one write transaction and its prepared statements.
type writer struct {
	tx      *sql.Tx
	now     time.Time
	maxID   int64            // ids above this were inserted by this transaction
	lastID  int64            // the highest id inserted so far
	changed []int64          // existing articles this transaction rewrote (to index again)
	dropped []int64          // rows inserted, then replaced by an adopted row (deleted at commit)
	feeds   map[int64]bool   // feeds whose articles were written (to recount)
	index   map[int64]ftsRow // what to index at commit, by article id
	stmts   map[string]*sql.Stmt
}

// ftsRow is the searchable text of an article written by the transaction.
// The index is filled from memory at commit: the text is not stored anywhere
// else (the index is contentless).
type ftsRow struct{ title, text string }

// begin starts a write transaction.
func (s *Store) begin(ctx context.Context, now time.Time) (*writer, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	w := &writer{tx: tx, now: now, feeds: map[int64]bool{}, index: map[int64]ftsRow{}, stmts: map[string]*sql.Stmt{}}
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM articles`).Scan(&w.maxID); err != nil {
		return nil, errors.Join(err, tx.Rollback())
	}
	w.lastID = w.maxID
	return w, nil
}

// exec runs query, prepared once per transaction.
func (w *writer) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st := w.stmts[query]
	if st == nil {
		var err error
		if st, err = w.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		w.stmts[query] = st
	}
	return st.ExecContext(ctx, args...)
}

// rollback ends a failed transaction.
func (w *writer) rollback() error { return ignoreDone(w.tx.Rollback()) }

// commit deletes the rows set aside by adoptions, indexes the text of the
// articles inserted or changed by the transaction, recounts the feeds whose
// articles were written, and commits.
func (w *writer) commit(ctx context.Context) error {
	if len(w.dropped) > 0 {
		dropped, err := json.Marshal(w.dropped)
		if err != nil {
			return fmt.Errorf("adopt: %w", err)
		}
		if _, err := w.tx.ExecContext(ctx, `DELETE FROM articles WHERE id IN (SELECT value FROM json_each(?))`, string(dropped)); err != nil {
			return err
		}
	}
	if len(w.changed) > 0 {
		changed, err := json.Marshal(w.changed)
		if err != nil {
			return fmt.Errorf("index: %w", err)
		}
		if _, err := w.tx.ExecContext(ctx, `DELETE FROM articles_fts WHERE rowid IN (SELECT value FROM json_each(?))`, string(changed)); err != nil {
			return err
		}
	}
	if err := w.indexText(ctx); err != nil {
		return err
	}
	if err := w.assignStories(ctx); err != nil {
		return err
	}
	if err := w.resolveTitles(ctx); err != nil {
		return err
	}
	if len(w.feeds) > 0 {
		ids := make([]int64, 0, len(w.feeds))
		for id := range w.feeds {
			ids = append(ids, id)
		}
		if err := recount(ctx, w.tx, ids); err != nil {
			return err
		}
	}
	return w.tx.Commit()
}

// indexText adds the text of the articles the transaction wrote to the
// full-text index, in one statement (FTS5 would flush a small segment for
// every statement otherwise). Rows dropped by an adoption are left out.
func (w *writer) indexText(ctx context.Context) error {
	if len(w.index) == 0 {
		return nil
	}
	dropped := make(map[int64]bool, len(w.dropped))
	for _, id := range w.dropped {
		dropped[id] = true
	}
	ids := make([]int64, 0, len(w.index))
	for id := range w.index {
		if !dropped[id] {
			ids = append(ids, id)
		}
	}
	// Ascending rowids: FTS5 flushes its pending terms whenever a rowid is
	// not above the previous one.
	slices.Sort(ids)
	rows := make([][3]any, len(ids))
	for i, id := range ids {
		rows[i] = [3]any{id, w.index[id].title, w.index[id].text}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rows); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	_, err := w.tx.ExecContext(ctx, `INSERT INTO articles_fts (rowid, title, text)
SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)`, b.String())
	return err
}

// recount sets the article counts of feeds ids (nil: every feed) from the
// per-feed indexes.
func recount(ctx context.Context, tx *sql.Tx, ids []int64) error {
	where := "1"
	var args []any
	if ids != nil {
		js, err := json.Marshal(ids)
		if err != nil {
			return fmt.Errorf("recount: %w", err)
		}
		where, args = "id IN (SELECT value FROM json_each(?))", []any{string(js)}
	}
	_, err := tx.ExecContext(ctx, `UPDATE feeds SET
 total_count = (SELECT count(*) FROM articles a WHERE a.feed_id = feeds.id),
 unread_count = (SELECT count(*) FROM articles a WHERE a.feed_id = feeds.id AND a.read = 0)
WHERE `+where, args...)
	return err
}

// storeItems upserts the items of feed feedID and returns how many were new.
// Items with a key seen earlier in the same feed are skipped. An item whose
// key matched no row may be a stored story whose key changed form; after the
// upserts such rows are adopted (see adoptStories).
func (w *writer) storeItems(ctx context.Context, feedID int64, items []feed.Item) (int, error) {
	keys := make([]string, len(items))
	claimed := make(map[string]bool, len(items)) // every key of this fetch
	for i := range items {
		keys[i] = items[i].Key
		if keys[i] == "" {
			keys[i] = fallbackKey(&items[i])
		}
		claimed[keys[i]] = true
	}
	seen := make(map[string]bool, len(items))
	var misses []miss
	newCount := 0
	for i := range items {
		key := keys[i]
		if seen[key] {
			continue
		}
		seen[key] = true
		if items[i].KeepStored {
			continue // already stored, with a body of its own (full text)
		}
		id, inserted, hash, err := w.storeItem(ctx, feedID, key, &items[i])
		if err != nil {
			return 0, err
		}
		if inserted {
			newCount++
			misses = append(misses, miss{id: id, item: &items[i], key: key, hash: hash})
		}
	}
	if len(misses) > 0 {
		adopted, err := w.adoptStories(ctx, feedID, misses, claimed)
		if err != nil {
			return 0, err
		}
		newCount -= adopted
	}
	return newCount, nil
}

// storeItem upserts one item under key with its body and links, and tells
// what it wrote: nothing (id 0), a new row, or an update of row id. hash is
// the article's hash.
func (w *writer) storeItem(ctx context.Context, feedID int64, key string, it *feed.Item) (id int64, inserted bool, hash []byte, err error) {
	date := itemDate(it, w.now)
	links, hash := prepareItem(it, date)
	res, err := w.exec(ctx, upsertArticleSQL, feedID, unix(date), unix(w.now), unix(it.Published), unix(it.Updated), hash,
		key, it.Title, it.URL, feed.NormalizeURL(it.URL), it.GUID, it.Author)
	if err != nil {
		return 0, false, nil, err
	}
	if id, inserted, err = w.written(ctx, res, feedID, key); err != nil || id == 0 {
		return 0, false, hash, err // id 0: unchanged, nothing written
	}
	w.feeds[feedID] = true
	if err := w.storeBody(ctx, id, inserted, it.Title, it.Body.Markdown, it.Body.Text, links); err != nil {
		return 0, false, nil, err
	}
	return id, inserted, hash, nil
}

// storeBody writes the body and links of article id, just inserted or
// changed, and queues its title and text for the search index.
func (w *writer) storeBody(ctx context.Context, id int64, inserted bool, title, markdown, text string, links []storedLink) error {
	q := insertBodySQL
	if !inserted {
		w.changed = append(w.changed, id)
		q = updateBodySQL
		if _, err := w.exec(ctx, deleteLinkSQL, id); err != nil {
			return err
		}
	}
	body, err := packBody(markdown)
	if err != nil {
		return err
	}
	if _, err := w.exec(ctx, q, id, body); err != nil {
		return err
	}
	w.index[id] = ftsRow{title: title, text: text}
	for _, l := range links {
		if _, err := w.exec(ctx, insertLinkSQL, id, l.N, l.Text, l.URL, l.Norm, l.ReadAlso); err != nil {
			return err
		}
	}
	return nil
}

// written tells what an upsert did: nothing (id 0), an insert, or an update
// of article id. An insert is recognised by a rowid above every rowid seen
// so far (rowids grow while one writer holds the transaction).
func (w *writer) written(ctx context.Context, res sql.Result, feedID int64, key string) (id int64, inserted bool, err error) {
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return 0, false, err
	}
	if id, err = res.LastInsertId(); err != nil {
		return 0, false, err
	}
	if id > w.lastID {
		w.lastID = id
		return id, true, nil
	}
	err = w.tx.QueryRowContext(ctx, `SELECT id FROM articles WHERE feed_id = ? AND key = ?`, feedID, key).Scan(&id)
	return id, false, err
}

// itemDate is the date an item is listed under: published, else updated;
// zero (use first seen) when it has neither or it lies too far ahead of now.
func itemDate(it *feed.Item, now time.Time) time.Time {
	d := it.Published
	if d.IsZero() {
		d = it.Updated
	}
	if d.After(now.Add(futureSlack)) {
		return time.Time{}
	}
	return d
}

// prepareItem returns the item's links with their normalised URLs and the
// hash of everything a refresh may change, including the listed date.
func prepareItem(it *feed.Item, date time.Time) (links []storedLink, hash []byte) {
	links = normLinks(it.Body.Links)
	h := newHasher()
	h.strings(it.GUID, it.URL, it.Title, it.Author, it.Body.Markdown, it.Body.Text)
	h.links(links)
	h.ints(unix(it.Published), unix(it.Updated), unix(date))
	return links, h.sum()
}

// normLinks adds the normalised URL to every link.
func normLinks(links []feed.Link) []storedLink {
	if len(links) == 0 {
		return nil
	}
	out := make([]storedLink, len(links))
	for i, l := range links {
		out[i] = storedLink{Link: l}
		if l.URL != "" {
			out[i].Norm = feed.NormalizeURL(l.URL)
		}
	}
	return out
}

// hasher hashes the fields of an article, each length-prefixed.
type hasher struct{ h hash.Hash }

func newHasher() hasher { return hasher{sha256.New()} }

func (h hasher) ints(ns ...int64) {
	var b [8]byte
	for _, n := range ns {
		binary.LittleEndian.PutUint64(b[:], uint64(n))
		h.h.Write(b[:])
	}
}

func (h hasher) strings(ss ...string) {
	for _, s := range ss {
		h.ints(int64(len(s)))
		h.h.Write([]byte(s))
	}
}

func (h hasher) links(ls []storedLink) {
	h.ints(int64(len(ls)))
	for _, l := range ls {
		h.ints(int64(l.N), boolInt(l.ReadAlso))
		h.strings(l.Text, l.URL)
	}
}

// sum returns the first 16 bytes of the hash: plenty to tell versions apart.
func (h hasher) sum() []byte { return h.h.Sum(nil)[:16] }

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// fallbackKey identifies an item that came without a key (the feed package
// always sets one; this only guards the unique index).
func fallbackKey(it *feed.Item) string {
	sum := sha256.Sum256([]byte(it.URL + "\x00" + it.Title + "\x00" + it.Body.Text))
	return fmt.Sprintf("store:%x", sum[:12])
}
