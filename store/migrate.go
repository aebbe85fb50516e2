package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
)

// applicationID marks a brief database in the SQLite header ("brif").
const applicationID = 0x62726966

// migration is one step of the schema. Steps are append-only: never edit or
// reorder a released one, add a new one at the end.
type migration struct {
	name string
	sql  string
	fn   func(ctx context.Context, tx *sql.Tx) error // run after sql, in its transaction (nil: none)
}

// migrations is the schema history; the database's user_version is the
// number of steps applied.
var migrations = []migration{
	{name: "initial schema", sql: schemaV1},
	{name: "page aliases", sql: schemaV2},
	{name: "feed warnings", sql: schemaV3},
	{name: "story lookup", sql: schemaV4},
	{name: "retention tombstones", sql: schemaV5},
	{name: "sync accounts", sql: schemaAccounts},
	{name: "bulk mark read", sql: schemaBulkMarkRead},
	{name: "packed bodies", sql: schemaPackedBodies, fn: packBodies},
	{name: "sync push marks", sql: schemaPushMarks},
	{name: "kill rules", sql: schemaIgnored},
	{name: "title link targets", sql: schemaTitleTargets, fn: backfillTitleLinks},
	{name: "stories", sql: schemaStories},
}

// schemaPushMarks records when brief last sent a change of each pulled entry
// (unix ms, local clock; 0: never). The server stamps the entry changed when
// it applies that change, and a server's change time is per entry, not per
// field: without the mark, a push cut short (kill -9, network) would make the
// next pull take the server's older value of the other field as the later
// change and drop the queued local one.
const schemaPushMarks = `ALTER TABLE remote_entries ADD COLUMN pushed INTEGER NOT NULL DEFAULT 0;`

const schemaV1 = `
CREATE TABLE feeds (
	id            INTEGER PRIMARY KEY,
	url           TEXT NOT NULL UNIQUE,
	title         TEXT NOT NULL DEFAULT '',  -- the dotfile's title
	feed_title    TEXT NOT NULL DEFAULT '',  -- the feed's own title
	site_url      TEXT NOT NULL DEFAULT '',
	tags          TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
	position      INTEGER NOT NULL DEFAULT 0, -- order in the dotfile
	active        INTEGER NOT NULL DEFAULT 1, -- 0: no longer in the dotfile (data kept)
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	last_fetched  INTEGER NOT NULL DEFAULT 0, -- unix seconds; 0: never
	last_error    TEXT NOT NULL DEFAULT '',
	last_error_at INTEGER NOT NULL DEFAULT 0,
	retry_after   INTEGER NOT NULL DEFAULT 0,
	-- Article counts: recounted (one aggregate query) after every write of
	-- the feed's articles, and kept exact by a trigger when read changes.
	total_count   INTEGER NOT NULL DEFAULT 0,
	unread_count  INTEGER NOT NULL DEFAULT 0
);

-- Articles of feeds and linked pages (feed_id NULL, is_page 1): the small
-- columns a list shows. Bodies live in their own table so that these rows
-- stay dense and list pages touch few database pages.
CREATE TABLE articles (
	id          INTEGER PRIMARY KEY,
	feed_id     INTEGER REFERENCES feeds(id) ON DELETE CASCADE,
	read        INTEGER NOT NULL DEFAULT 0,
	starred     INTEGER NOT NULL DEFAULT 0,
	is_page     INTEGER NOT NULL DEFAULT 0,
	sort_date   INTEGER NOT NULL,            -- published, else updated, else first seen
	first_seen  INTEGER NOT NULL,
	published   INTEGER NOT NULL DEFAULT 0,
	updated     INTEGER NOT NULL DEFAULT 0,
	linked_from INTEGER,                     -- page: the article it was first reached from
	hash        BLOB,                        -- of everything a refresh may change
	key         TEXT NOT NULL,
	title       TEXT NOT NULL DEFAULT '',
	url         TEXT NOT NULL DEFAULT '',
	url_norm    TEXT NOT NULL DEFAULT '',
	guid        TEXT NOT NULL DEFAULT '',
	author      TEXT NOT NULL DEFAULT '',
	site_name   TEXT NOT NULL DEFAULT ''
);
-- NULL feed_id values are distinct, so pages never collide here.
CREATE UNIQUE INDEX articles_feed_key ON articles(feed_id, key);
CREATE UNIQUE INDEX articles_page_url ON articles(url_norm) WHERE is_page = 1;
CREATE INDEX articles_url_norm ON articles(url_norm);
-- List orders, newest first (date, then feed, then id): all, unread, starred,
-- per feed, per feed unread. feed_id in the index lets a list skip rows
-- (inactive feeds, OFFSET) without reading them.
CREATE INDEX articles_date ON articles(sort_date, feed_id) WHERE feed_id IS NOT NULL;
CREATE INDEX articles_unread ON articles(sort_date, feed_id) WHERE read = 0 AND feed_id IS NOT NULL;
CREATE INDEX articles_starred ON articles(sort_date, feed_id) WHERE starred = 1 AND feed_id IS NOT NULL;
CREATE INDEX articles_feed_date ON articles(feed_id, sort_date);
CREATE INDEX articles_feed_unread ON articles(feed_id, sort_date) WHERE read = 0;

CREATE TRIGGER articles_read AFTER UPDATE OF read ON articles
WHEN new.feed_id IS NOT NULL AND old.read IS NOT new.read BEGIN
	UPDATE feeds SET unread_count = unread_count + (CASE WHEN new.read = 0 THEN 1 ELSE -1 END) WHERE id = new.feed_id;
END;

CREATE TABLE bodies (
	id       INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
	markdown TEXT NOT NULL DEFAULT '',
	text     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE links (
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	n          INTEGER NOT NULL,
	text       TEXT NOT NULL DEFAULT '',
	url        TEXT NOT NULL DEFAULT '',
	url_norm   TEXT NOT NULL DEFAULT '',
	read_also  INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (article_id, n)
) WITHOUT ROWID;
CREATE INDEX links_url_norm ON links(url_norm);

-- Full-text index over titles and text. Contentless (the text lives in
-- articles and bodies) with rowid = articles.id; the writer indexes the
-- articles a transaction inserted or changed in one statement before it
-- commits (triggers would make FTS5 flush a tiny segment at every statement).
CREATE VIRTUAL TABLE articles_fts USING fts5(
	title, text,
	content = '', contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 2'
);
`

// schemaV2 remembers the URLs a linked page was requested at when they
// redirected elsewhere (the page is keyed by its final URL), so that the
// links pointing at the requested URL find the page in the cache.
const schemaV2 = `
CREATE TABLE page_aliases (
	url_norm   TEXT PRIMARY KEY,  -- the requested URL, normalised
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX page_aliases_article ON page_aliases(article_id);
`

// schemaV3 keeps the warnings of a feed's last parsed fetch (items skipped,
// a damaged document, duplicates dropped), joined and capped; empty when none.
const schemaV3 = `
ALTER TABLE feeds ADD COLUMN last_warning TEXT NOT NULL DEFAULT '';
`

// schemaV4 widens the url_norm index so that it also finds, with one seek,
// the articles of a feed that are one story (same link and GUID): the writer
// looks for one when an item's key changed form (see adopt.go). Lookups by
// url_norm alone use its first column as before.
const schemaV4 = `
DROP INDEX articles_url_norm;
CREATE INDEX articles_story ON articles(url_norm, feed_id, guid);
`

// schemaV5 remembers the articles retention deleted (by feed and key) while
// their feed still lists them, so that a refresh does not bring them back
// as new (see retention.go).
const schemaV5 = `
CREATE TABLE pruned (
	feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
	key     TEXT NOT NULL,
	PRIMARY KEY (feed_id, key)
) WITHOUT ROWID;
`

// schemaAccounts holds the sync accounts of the dotfile (see accounts.go):
// their feeds are rows of feeds with account_id set (and a synthetic url, so
// that a local feed of the same address stays apart), each article pulled
// from a server is mapped to its remote id, and the read/starred changes made
// here wait in sync_queue until the server has them. The triggers queue every
// change of read or starred on an account's article, whatever changed it (the
// reader, mark-all-read, another process), except while a pull applies the
// server's state (sync_flags.applying, set inside the pull's transaction).
const schemaAccounts = `
CREATE TABLE accounts (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,
	kind          TEXT NOT NULL DEFAULT '',
	url           TEXT NOT NULL DEFAULT '',
	active        INTEGER NOT NULL DEFAULT 1,
	cursor        TEXT NOT NULL DEFAULT '',  -- where the next pull starts; '': first sync
	last_sync     INTEGER NOT NULL DEFAULT 0, -- unix seconds of the last successful sync
	last_error    TEXT NOT NULL DEFAULT '',
	last_error_at INTEGER NOT NULL DEFAULT 0,
	retry_after   INTEGER NOT NULL DEFAULT 0,
	last_note     TEXT NOT NULL DEFAULT ''   -- e.g. actions dropped because the server deleted the entry
);
ALTER TABLE feeds ADD COLUMN account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE;
CREATE TABLE account_feeds (
	feed_id       INTEGER PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE,
	account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	remote_id     TEXT NOT NULL,
	feed_url      TEXT NOT NULL DEFAULT '',
	category      TEXT NOT NULL DEFAULT '',
	server_unread INTEGER NOT NULL DEFAULT -1, -- the server's own count; -1: not told
	UNIQUE (account_id, remote_id)
);
CREATE TABLE remote_entries (
	article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
	account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	remote_id  TEXT NOT NULL,
	changed    INTEGER NOT NULL DEFAULT 0, -- the server's change time, unix ms; 0: not told
	UNIQUE (account_id, remote_id)
) WITHOUT ROWID;
CREATE TABLE sync_queue (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	article_id INTEGER NOT NULL,
	remote_id  TEXT NOT NULL,
	field      TEXT NOT NULL,    -- read | starred
	value      INTEGER NOT NULL, -- 0 or 1
	at         INTEGER NOT NULL  -- unix ms of the change, local clock
);
CREATE INDEX sync_queue_account ON sync_queue(account_id, id);
CREATE INDEX sync_queue_article ON sync_queue(article_id, field);
CREATE TABLE sync_flags (id INTEGER PRIMARY KEY CHECK (id = 1), applying INTEGER NOT NULL DEFAULT 0);
INSERT INTO sync_flags (id, applying) VALUES (1, 0);
CREATE TRIGGER sync_queue_read AFTER UPDATE OF read ON articles
WHEN old.read IS NOT new.read AND (SELECT applying FROM sync_flags WHERE id = 1) = 0 BEGIN
	INSERT INTO sync_queue (account_id, article_id, remote_id, field, value, at)
	SELECT r.account_id, new.id, r.remote_id, 'read', new.read, CAST(unixepoch('subsec') * 1000 AS INTEGER)
	FROM remote_entries r WHERE r.article_id = new.id;
END;
CREATE TRIGGER sync_queue_starred AFTER UPDATE OF starred ON articles
WHEN old.starred IS NOT new.starred AND (SELECT applying FROM sync_flags WHERE id = 1) = 0 BEGIN
	INSERT INTO sync_queue (account_id, article_id, remote_id, field, value, at)
	SELECT r.account_id, new.id, r.remote_id, 'starred', new.starred, CAST(unixepoch('subsec') * 1000 AS INTEGER)
	FROM remote_entries r WHERE r.article_id = new.id;
END;
`

// schemaBulkMarkRead lets a bulk mark-read keep the unread counts itself (one
// decrement per feed and batch) instead of the per-row trigger: the trigger
// stays for single-row changes and is silent while bulk_marking has a row,
// which MarkRead inserts and deletes inside its own transactions (so no
// other connection ever sees one).
const schemaBulkMarkRead = `
CREATE TABLE bulk_marking (on_ INTEGER NOT NULL);
DROP TRIGGER articles_read;
CREATE TRIGGER articles_read AFTER UPDATE OF read ON articles
WHEN new.feed_id IS NOT NULL AND old.read IS NOT new.read AND NOT EXISTS (SELECT 1 FROM bulk_marking) BEGIN
	UPDATE feeds SET unread_count = unread_count + (CASE WHEN new.read = 0 THEN 1 ELSE -1 END) WHERE id = new.feed_id;
END;
`

// schemaPackedBodies stores each body once, compressed (see body.go): the plain text
// that v1 kept beside the Markdown was only ever read to fill the full-text
// index, which the writer now fills from memory. packBodies moves the rows.
const schemaPackedBodies = `
CREATE TABLE bodies_packed (
	id   INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
	body BLOB NOT NULL -- packBody(markdown)
);
`

// packBodies copies every body into bodies_packed, compressed, in chunks,
// and puts the new table in the old one's place. The search index already
// holds the text and is left as it is.
func packBodies(ctx context.Context, tx *sql.Tx) error {
	const chunk = 2000
	type body struct {
		id int64
		md string
	}
	for last := int64(-1); ; {
		rows, err := tx.QueryContext(ctx, `SELECT id, markdown FROM bodies WHERE id > ? ORDER BY id LIMIT ?`, last, chunk)
		if err != nil {
			return err
		}
		var got []body
		for rows.Next() {
			var b body
			if err := rows.Scan(&b.id, &b.md); err != nil {
				return errors.Join(err, rows.Close())
			}
			got = append(got, b)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
		for _, b := range got {
			packed, err := packBody(b.md)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO bodies_packed (id, body) VALUES (?, ?)`, b.id, packed); err != nil {
				return err
			}
			last = b.id
		}
		if len(got) < chunk {
			break
		}
	}
	_, err := tx.ExecContext(ctx, `DROP TABLE bodies; ALTER TABLE bodies_packed RENAME TO bodies;`)
	return err
}

// schemaIgnored holds the articles the kill rules hide (see ignore.go): in
// no list or count, never deleted. A table of ids rather than a column, so
// that a list walking an index checks it without reading the article row.
// The trigger keeps the unread counts (which leave ignored articles out)
// right when an ignored article is marked: it undoes articles_read's change
// (which is silent during a bulk mark-read, and so is this one).
const schemaIgnored = `
CREATE TABLE ignored (
	id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE
);
CREATE TABLE ignore_rules (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	rules TEXT NOT NULL  -- the rules last applied to the whole cache
);
CREATE TRIGGER articles_read_ignored AFTER UPDATE OF read ON articles
WHEN new.feed_id IS NOT NULL AND old.read IS NOT new.read AND NOT EXISTS (SELECT 1 FROM bulk_marking)
 AND new.id IN (SELECT id FROM ignored) BEGIN
	UPDATE feeds SET unread_count = unread_count - (CASE WHEN new.read = 0 THEN 1 ELSE -1 END) WHERE id = new.feed_id;
END;
`

// schemaTitleTargets (migration 11) stores what title-only "Read also" links
// resolve to (see titles.go): the target article (NULL: not in the cache
// yet) and whether it is of another site; and, to find matches with indexed
// lookups, hashes of every article's title words (with and without a source
// suffix) and of every title-only link's.
const schemaTitleTargets = `
CREATE TABLE titles (
	article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
	hash       INTEGER NOT NULL,           -- of the title's words (titleHash)
	base_hash  INTEGER NOT NULL DEFAULT 0  -- of its words before a source suffix; 0: no suffix
);
CREATE INDEX titles_hash ON titles(hash);
CREATE INDEX titles_base ON titles(base_hash) WHERE base_hash <> 0;
ALTER TABLE links ADD COLUMN target_id INTEGER REFERENCES articles(id) ON DELETE SET NULL;
ALTER TABLE links ADD COLUMN cross_site INTEGER NOT NULL DEFAULT 0;
ALTER TABLE links ADD COLUMN title_hash INTEGER NOT NULL DEFAULT 0; -- title-only links: as titles.hash; 0 otherwise
ALTER TABLE links ADD COLUMN base_hash INTEGER NOT NULL DEFAULT 0;
CREATE INDEX links_target ON links(target_id) WHERE target_id IS NOT NULL;
CREATE INDEX links_title_hash ON links(title_hash) WHERE title_hash <> 0;
CREATE INDEX links_base_hash ON links(base_hash) WHERE base_hash <> 0;
`

// schemaStories (migration 12) groups the copies of one story (see
// stories.go): an article of a feed has the story id of the first article of
// another feed with its normalised link, else its own id; NULL without a link.
const schemaStories = `
ALTER TABLE articles ADD COLUMN story_id INTEGER;
UPDATE articles SET story_id = (SELECT min(b.id) FROM articles b
 WHERE b.url_norm = articles.url_norm AND b.feed_id IS NOT NULL
  AND (b.feed_id <> articles.feed_id OR b.id = articles.id))
WHERE feed_id IS NOT NULL AND url_norm <> '';
CREATE INDEX articles_story_id ON articles(story_id, id) WHERE story_id IS NOT NULL;
CREATE INDEX articles_copies ON articles(story_id) WHERE story_id <> id; -- the few stories with copies, for Counts
`

// identify checks, through a query-only connection that cannot change the
// file, that path is SQLite, is brief's (or empty), is not from a newer
// brief, has a sound header and the schema its version stands for. A file
// of at most quickCheckMaxBytes is also checked page by page (checked
// reports it); a larger one is left to Store's background check. A missing
// file is created empty. version is the file's schema version.
func identify(ctx context.Context, path string) (version int, checked bool, err error) {
	if err := checkHeader(path); err != nil {
		return 0, false, err
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(busyTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "query_only(1)")
	db, err := sql.Open("sqlite", "file://"+u.EscapedPath()+"?"+q.Encode())
	if err != nil {
		return 0, false, fmt.Errorf("store: %w", err)
	}
	defer func() {
		if cerr := db.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("store: %w", cerr)
		}
	}()
	var tables, appID int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil {
		return 0, false, openError(path, err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return 0, false, openError(path, err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return 0, false, openError(path, err)
	}
	switch {
	case appID == 0 && version == 0 && tables == 0: // new or empty: ours to fill
		return 0, true, nil
	case appID != applicationID:
		return 0, false, foreignDatabase(path)
	case version > len(migrations):
		return 0, false, newerSchema(path, version, len(migrations))
	}
	if err := checkSchema(ctx, db, path, version); err != nil {
		return 0, false, err
	}
	checked, err = quickCheck(ctx, db, path)
	return version, checked, err
}

// quickCheckMaxBytes bounds the databases Open checks page by page before it
// returns: the check reads the whole file (about 4 ms per MiB), which would
// slow the start of a large cache; there it runs in the background and
// writes wait for it. (A variable only so that tests can change it.)
var quickCheckMaxBytes int64 = 8 << 20

// quickCheck runs PRAGMA quick_check when the file is small enough, and
// reports whether it did.
func quickCheck(ctx context.Context, db *sql.DB, path string) (bool, error) {
	var pages, size int64
	if err := db.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		return false, openError(path, err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA page_size").Scan(&size); err != nil {
		return false, openError(path, err)
	}
	if pages*size > quickCheckMaxBytes {
		return false, nil
	}
	return true, quickCheckAll(ctx, db, path)
}

// openError classifies a failure while opening path.
func openError(path string, err error) error {
	var de *dbError
	if c := classify(path, err); c != err || errors.As(c, &de) {
		return c
	}
	return fmt.Errorf("store: open %s: %w", path, err)
}

// migrate applies the missing migrations, each in its own transaction. The
// version is read again inside the transaction, so two processes opening a
// database at once apply each step once.
func (s *Store) migrate(ctx context.Context) error {
	for v := 1; v <= len(migrations); v++ {
		if err := s.migrateTo(ctx, v); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) migrateTo(ctx context.Context, v int) (err error) {
	var have int
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return openError(s.path, err)
	}
	if have > len(migrations) {
		return newerSchema(s.path, have, len(migrations))
	}
	if have >= v {
		return nil
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return openError(s.path, err)
	}
	defer func() {
		if rerr := ignoreDone(tx.Rollback()); rerr != nil {
			err = errors.Join(err, openError(s.path, rerr))
		}
	}()
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return openError(s.path, err)
	}
	if have >= v {
		return nil
	}
	m := migrations[v-1]
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return openError(s.path, fmt.Errorf("migration %d (%s): %w", v, m.name, err))
	}
	if m.fn != nil {
		if err := m.fn(ctx, tx); err != nil {
			return openError(s.path, fmt.Errorf("migration %d (%s): %w", v, m.name, err))
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d; PRAGMA application_id = %d", v, applicationID)); err != nil {
		return openError(s.path, err)
	}
	if err := tx.Commit(); err != nil {
		return openError(s.path, err)
	}
	return nil
}

// ignoreDone drops the error of a rollback after a commit or a failed begin.
func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}
