package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/brief-reader/brief/feed"
)

// This file resolves title-only links when articles are written (see
// titles.go for the matching): the writer records the title hashes of the
// articles it wrote, matches their title-only links, and matches again the
// links elsewhere that wait for one of their titles.

// stmtCache runs queries of a transaction through statements prepared once:
// resolving thousands of links would otherwise spend a fifth of its time
// preparing the same few statements.
type stmtCache struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func newStmtCache(tx *sql.Tx) *stmtCache {
	return &stmtCache{tx: tx, stmts: map[string]*sql.Stmt{}}
}

func (c *stmtCache) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := c.stmts[query]; ok {
		return st, nil
	}
	st, err := c.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = st
	return st, nil
}

// QueryContext runs query as a prepared statement.
func (c *stmtCache) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// ExecContext runs query as a prepared statement.
func (c *stmtCache) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// close closes the prepared statements.
func (c *stmtCache) close() error {
	var errs []error
	for _, st := range c.stmts {
		errs = append(errs, st.Close())
	}
	return errors.Join(errs...)
}

// linkMatches collects the hashes and matches of title-only links and
// writes them in one statement.
type linkMatches [][6]int64 // article id, n, title hash, base hash, target (0: none), cross-site (0/1)

// add resolves l and records its hashes and match when they changed
// (always when write is set).
func (lm *linkMatches) add(ctx context.Context, q querier, l titleLink, write bool) error {
	m, err := resolveTitle(ctx, q, l.src, l.text)
	if err != nil {
		return err
	}
	if !write && m.target == l.target && m.cross == l.cross {
		return nil
	}
	hf, hs := linkHeadline(l.text).hashes()
	*lm = append(*lm, [6]int64{l.src.id, int64(l.n), hf, hs, m.target, boolInt(m.cross)})
	return nil
}

// store writes the recorded matches.
func (lm linkMatches) store(ctx context.Context, q querier) error {
	if len(lm) == 0 {
		return nil
	}
	js, err := json.Marshal(lm)
	if err != nil {
		return fmt.Errorf("titles: %w", err)
	}
	_, err = q.ExecContext(ctx, `UPDATE links SET title_hash = j.value->>2, base_hash = j.value->>3,
 target_id = nullif(j.value->>4, 0), cross_site = j.value->>5
 FROM json_each(?) j WHERE links.article_id = j.value->>0 AND links.n = j.value->>1`, string(js))
	return err
}

// resolveTitles records the title hashes of the articles the transaction
// wrote, matches their title-only links, and matches again the links of
// other articles waiting for (or matched across sites to) a title they
// have. It runs after the written articles are indexed, before the commit.
func (w *writer) resolveTitles(ctx context.Context) error {
	if len(w.changed) == 0 && w.lastID <= w.maxID {
		return nil
	}
	changed, err := json.Marshal(append([]int64{}, w.changed...))
	if err != nil {
		return fmt.Errorf("titles: %w", err)
	}
	written := `SELECT id, title FROM articles WHERE id > ?1 OR id IN (SELECT value FROM json_each(?2))`
	hashes, fulls, err := storeTitleHashes(ctx, w.tx, written, w.maxID, string(changed))
	if err != nil {
		return err
	}
	own, err := titleLinks(ctx, w.tx, `(l.article_id > ?1 OR l.article_id IN (SELECT value FROM json_each(?2)))`, w.maxID, string(changed))
	if err != nil {
		return err
	}
	q := newStmtCache(w.tx)
	defer q.close() // ends with the transaction anyway
	var lm linkMatches
	done := make(map[[2]int64]bool, len(own))
	for _, l := range own {
		if err := lm.add(ctx, q, l, true); err != nil {
			return err
		}
		done[[2]int64{l.src.id, int64(l.n)}] = true
	}
	if len(hashes) == 0 {
		return lm.store(ctx, q)
	}
	hjs, err := json.Marshal(hashes)
	if err != nil {
		return fmt.Errorf("titles: %w", err)
	}
	fjs, err := json.Marshal(fulls)
	if err != nil {
		return fmt.Errorf("titles: %w", err)
	}
	waiting, err := titleLinks(ctx, w.tx, `((l.title_hash IN (SELECT value FROM json_each(?1)) AND l.title_hash <> 0)
 OR (l.base_hash IN (SELECT value FROM json_each(?2)) AND l.base_hash <> 0)) AND (l.target_id IS NULL OR l.cross_site = 1)`, string(hjs), string(fjs))
	if err != nil {
		return err
	}
	for _, l := range waiting {
		if done[[2]int64{l.src.id, int64(l.n)}] {
			continue
		}
		if err := lm.add(ctx, q, l, false); err != nil {
			return err
		}
	}
	return lm.store(ctx, q)
}

// storeTitleHashes writes the title hashes of the articles query returns
// (id, title) in one statement, and returns the hashes a title-only link
// naming one of them may have (hashes: of each title's words, with and
// without its suffix) and the hashes of the titles' words (fulls, which a
// link's words before its own suffix may have).
func storeTitleHashes(ctx context.Context, q querier, query string, args ...any) (hashes, fulls []int64, err error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, err
	}
	var recs [][3]int64
	seen := map[int64]bool{}
	for rows.Next() {
		var id int64
		var title string
		if err := rows.Scan(&id, &title); err != nil {
			return nil, nil, errors.Join(err, rows.Close())
		}
		hf, hs := parseHeadline(feed.CleanText(title)).hashes()
		if hf == 0 {
			continue
		}
		recs = append(recs, [3]int64{id, hf, hs})
		if !seen[hf] {
			seen[hf] = true
			hashes = append(hashes, hf)
			fulls = append(fulls, hf)
		}
		if hs != 0 && !seen[hs] {
			seen[hs] = true
			hashes = append(hashes, hs)
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, nil, err
	}
	if len(recs) == 0 {
		return nil, nil, nil
	}
	js, err := json.Marshal(recs)
	if err != nil {
		return nil, nil, fmt.Errorf("titles: %w", err)
	}
	_, err = q.ExecContext(ctx, `INSERT INTO titles (article_id, hash, base_hash)
 SELECT value->>0, value->>1, value->>2 FROM json_each(?) WHERE true
 ON CONFLICT (article_id) DO UPDATE SET hash = excluded.hash, base_hash = excluded.base_hash`, string(js))
	return hashes, fulls, err
}

// backfillTitleLinks records the title hashes of every article and resolves
// every title-only link: a step of the migration that adds them.
func backfillTitleLinks(ctx context.Context, tx *sql.Tx) error {
	if _, _, err := storeTitleHashes(ctx, tx, `SELECT id, title FROM articles`); err != nil {
		return err
	}
	links, err := titleLinks(ctx, tx, `l.title_hash = 0`)
	if err != nil {
		return err
	}
	q := newStmtCache(tx)
	var lm linkMatches
	for _, l := range links {
		if err := lm.add(ctx, q, l, true); err != nil {
			return errors.Join(err, q.close())
		}
	}
	return errors.Join(lm.store(ctx, q), q.close())
}
