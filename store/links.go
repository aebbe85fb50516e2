package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/brief-reader/brief/feed"
)

// visibleFrom is the FROM of queries over articles a.
const visibleFrom = ` FROM articles a`

// visible restricts a query to the articles the user can reach: those of
// active feeds and linked pages.
const visible = ` (a.is_page = 1 OR a.feed_id IN (SELECT id FROM feeds WHERE active = 1))`

// links returns the links of article id in reading order.
func (s *Store) links(ctx context.Context, id int64) ([]feed.Link, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT n, text, url, read_also FROM links WHERE article_id = ? ORDER BY n`, id)
	if err != nil {
		return nil, s.wrap("links", err)
	}
	defer rows.Close()
	var out []feed.Link
	for rows.Next() {
		var l feed.Link
		if err := rows.Scan(&l.N, &l.Text, &l.URL, &l.ReadAlso); err != nil {
			return nil, s.wrap("links", err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("links", err)
	}
	return out, nil
}

// ArticleByURL returns the cached article at rawURL, matched by
// feed.NormalizeURL (scheme, "www.", trailing slash, fragment and tracking
// parameters ignored): an article of an active feed if there is one, else a
// linked page, else the linked page rawURL redirected to when it was fetched
// (SavePage's requestedURL); ErrNotFound otherwise.
func (s *Store) ArticleByURL(ctx context.Context, rawURL string) (ArticleRow, error) {
	norm := feed.NormalizeURL(rawURL)
	if norm == "" {
		return ArticleRow{}, ErrNotFound
	}
	r, err := scanRow(s.r.QueryRowContext(ctx, "SELECT "+rowColumns+visibleFrom+
		" WHERE a.url_norm = ? AND"+visible+" ORDER BY a.is_page, a.id LIMIT 1", norm))
	if errors.Is(err, sql.ErrNoRows) {
		r, err = scanRow(s.r.QueryRowContext(ctx, "SELECT "+rowColumns+visibleFrom+
			" JOIN page_aliases p ON p.article_id = a.id WHERE p.url_norm = ? AND"+visible, norm))
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ArticleRow{}, ErrNotFound
	}
	if err != nil {
		return ArticleRow{}, s.wrap("article by url", err)
	}
	return r, nil
}

// LinkTargets returns the cached article each link points to, keyed by
// Link.N: links with a URL are matched by normalised URL in one query (then,
// for those not found, by the aliases of linked pages in another, see
// SavePage); a title-only link is matched by title when ResolveTitle finds
// one clear match. Links with no cached target are absent from the map.
// The reader uses Targets, which also knows the article the links are in.
func (s *Store) LinkTargets(ctx context.Context, links []feed.Link) (map[int]ArticleRow, error) {
	out, err := s.urlTargets(ctx, links)
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		if l.URL != "" || strings.TrimSpace(l.Text) == "" {
			continue
		}
		m, clear, err := s.ResolveTitle(ctx, l.Text, 1)
		if err != nil {
			return nil, err
		}
		if clear && len(m) > 0 {
			out[l.N] = m[0]
		}
	}
	return out, nil
}

// urlTargets matches the links that have a URL, as LinkTargets does.
func (s *Store) urlTargets(ctx context.Context, links []feed.Link) (map[int]ArticleRow, error) {
	out := map[int]ArticleRow{}
	norms := map[int]string{}
	var list []string
	for _, l := range links {
		if n := feed.NormalizeURL(l.URL); l.URL != "" && n != "" {
			norms[l.N] = n
			list = append(list, n)
		}
	}
	if len(list) == 0 {
		return out, nil
	}
	byNorm, err := s.byNorms(ctx, list)
	if err != nil {
		return nil, err
	}
	for n, norm := range norms {
		if r, ok := byNorm[norm]; ok {
			out[n] = r
		}
	}
	return out, nil
}

// byNorms returns the preferred visible article for each normalised URL: an
// article at that URL, else the linked page it redirected to.
func (s *Store) byNorms(ctx context.Context, norms []string) (map[string]ArticleRow, error) {
	out := map[string]ArticleRow{}
	// The order makes the last one written the preferred one.
	err := s.collectNorms(ctx, out, "SELECT "+rowColumns+", a.url_norm"+visibleFrom+
		" WHERE a.url_norm IN (SELECT value FROM json_each(?)) AND"+visible+" ORDER BY a.is_page DESC, a.id DESC", norms)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, n := range norms {
		if _, ok := out[n]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	err = s.collectNorms(ctx, out, "SELECT "+rowColumns+", p.url_norm"+visibleFrom+
		" JOIN page_aliases p ON p.article_id = a.id WHERE p.url_norm IN (SELECT value FROM json_each(?)) AND"+visible, missing)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// collectNorms runs query (rowColumns and a normalised URL, for the URLs
// norms given as a JSON array) and puts each row in out under its URL.
func (s *Store) collectNorms(ctx context.Context, out map[string]ArticleRow, query string, norms []string) error {
	js, err := json.Marshal(norms)
	if err != nil {
		return fmt.Errorf("store: link targets: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, query, string(js))
	if err != nil {
		return s.wrap("link targets", err)
	}
	defer rows.Close()
	for rows.Next() {
		var norm string
		r, err := scanRow(rows, &norm)
		if err != nil {
			return s.wrap("link targets", err)
		}
		out[norm] = r
	}
	if err := rows.Err(); err != nil {
		return s.wrap("link targets", err)
	}
	return nil
}
