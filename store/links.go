package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
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
// SavePage); a title-only link is matched by title when ResolveTitle finds a
// clear winner. Links with no cached target are absent from the map.
func (s *Store) LinkTargets(ctx context.Context, links []feed.Link) (map[int]ArticleRow, error) {
	out := map[int]ArticleRow{}
	norms := map[int]string{}
	var list []string
	for _, l := range links {
		if n := feed.NormalizeURL(l.URL); l.URL != "" && n != "" {
			norms[l.N] = n
			list = append(list, n)
		}
	}
	if len(list) > 0 {
		byNorm, err := s.byNorms(ctx, list)
		if err != nil {
			return nil, err
		}
		for n, norm := range norms {
			if r, ok := byNorm[norm]; ok {
				out[n] = r
			}
		}
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

// titleCandidates is how many full-text matches ResolveTitle ranks.
const titleCandidates = 20

// candidate is one title match with its rank.
type candidate struct {
	row      ArticleRow
	score    float64 // bm25: lower (more negative) is better
	coverage float64 // share of the wanted title's words present in this title
	exact    bool    // same words in the same order
}

// ResolveTitle finds cached articles (active feeds and linked pages) whose
// title matches title, best first, at most limit (default 5). clear reports
// one obvious winner: a title equal to the wanted one (ignoring case and
// punctuation), or a best full-text match (bm25 over titles) that holds most
// of the wanted words and ranks well ahead of the second.
func (s *Store) ResolveTitle(ctx context.Context, title string, limit int) (matches []ArticleRow, clear bool, err error) {
	if limit <= 0 {
		limit = 5
	}
	full := words(feed.CleanText(title))
	want := stripMarker(full)
	if len(want) == 0 {
		return nil, false, nil
	}
	rows, err := s.r.QueryContext(ctx, "SELECT "+rowColumns+`, bm25(articles_fts, 1.0, 0.0) AS score
 FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
 WHERE articles_fts MATCH ? AND`+visible+` ORDER BY score, a.is_page, a.sort_date DESC LIMIT ?`,
		titleQuery(want), titleCandidates)
	if err != nil {
		return nil, false, s.wrap("resolve title", err)
	}
	defer rows.Close()
	var cands []candidate
	for rows.Next() {
		var c candidate
		if c.row, err = scanRow(rows, &c.score); err != nil {
			return nil, false, s.wrap("resolve title", err)
		}
		got := words(c.row.Title)
		c.coverage, c.exact = compareTitles(want, got)
		if !c.exact && len(full) != len(want) {
			_, c.exact = compareTitles(full, got)
		}
		cands = append(cands, c)
	}
	if err := rows.Err(); err != nil {
		return nil, false, s.wrap("resolve title", err)
	}
	if len(cands) == 0 {
		return nil, false, nil
	}
	// Exact titles first; otherwise the bm25 order stands (a stable sort).
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].exact && !cands[j].exact })
	best := cands[0]
	switch {
	case best.exact:
		clear = true
	case best.coverage >= 0.6:
		clear = len(cands) == 1 || best.score <= 1.5*cands[1].score
	}
	for i := 0; i < len(cands) && i < limit; i++ {
		matches = append(matches, cands[i].row)
	}
	return matches, clear, nil
}

// stripMarker drops a leading "Read also" marker (feed.ReadAlsoMarkers) from
// the words of a link text, keeping at least one word.
func stripMarker(ws []string) []string {
	best := 0
	for _, m := range feed.ReadAlsoMarkers {
		mw := words(m)
		if len(mw) <= best || len(mw) >= len(ws) {
			continue
		}
		if strings.Join(ws[:len(mw)], " ") == strings.Join(mw, " ") {
			best = len(mw)
		}
	}
	return ws[best:]
}

// compareTitles returns the share of want's words found in got, and whether
// both are the same words in the same order.
func compareTitles(want, got []string) (coverage float64, exact bool) {
	have := make(map[string]bool, len(got))
	for _, w := range got {
		have[w] = true
	}
	n := 0
	for _, w := range want {
		if have[w] {
			n++
		}
	}
	return float64(n) / float64(len(want)), strings.Join(want, " ") == strings.Join(got, " ")
}

// Backlinks returns the visible articles that link to article id, newest
// first, excluding the article itself: by normalised URL (the article's own
// or, for a linked page, a URL that redirected to it), the article a linked
// page was first reached from, and title-only links that resolve to it (as
// LinkTargets resolves them).
func (s *Store) Backlinks(ctx context.Context, id int64) ([]ArticleRow, error) {
	byTitle, err := s.titleBacklinks(ctx, id)
	if err != nil {
		return nil, err
	}
	js, err := json.Marshal(append([]int64{}, byTitle...))
	if err != nil {
		return nil, fmt.Errorf("store: backlinks: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, "SELECT "+rowColumns+visibleFrom+`
 WHERE (a.id IN (SELECT l.article_id FROM links l WHERE l.url_norm <> '' AND l.url_norm IN (
          SELECT t.url_norm FROM articles t WHERE t.id = ?1
          UNION ALL SELECT p.url_norm FROM page_aliases p WHERE p.article_id = ?1))
     OR a.id = (SELECT t.linked_from FROM articles t WHERE t.id = ?1)
     OR a.id IN (SELECT value FROM json_each(?2)))
   AND a.id <> ?1 AND`+visible+listOrder+` LIMIT 500`, id, string(js))
	if err != nil {
		return nil, s.wrap("backlinks", err)
	}
	return s.collect(rows, "backlinks")
}

// titleBacklinkScan bounds the title-only links Backlinks looks at.
const titleBacklinkScan = 5000

// titleBacklinks returns the articles with a title-only link that resolves
// to article id. Links whose words could not make id's title a clear match
// are skipped without a full-text query; the few left are resolved.
func (s *Store) titleBacklinks(ctx context.Context, id int64) ([]int64, error) {
	var title string
	err := s.r.QueryRowContext(ctx, `SELECT title FROM articles WHERE id = ?`, id).Scan(&title)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, s.wrap("backlinks", err)
	}
	got := words(feed.CleanText(title))
	if len(got) == 0 {
		return nil, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT article_id, text FROM links
 WHERE url_norm = '' AND url = '' AND text <> '' AND article_id <> ? LIMIT ?`, id, titleBacklinkScan)
	if err != nil {
		return nil, s.wrap("backlinks", err)
	}
	type cand struct {
		from int64
		text string
	}
	var cands []cand
	for rows.Next() {
		var c cand
		if err := rows.Scan(&c.from, &c.text); err != nil {
			rows.Close()
			return nil, s.wrap("backlinks", err)
		}
		want := stripMarker(words(feed.CleanText(c.text)))
		if len(want) == 0 {
			continue
		}
		if cov, exact := compareTitles(want, got); exact || cov >= 0.6 {
			cands = append(cands, c)
		}
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, s.wrap("backlinks", err)
	}
	if err := rows.Close(); err != nil {
		return nil, s.wrap("backlinks", err)
	}
	var out []int64
	for _, c := range cands {
		m, clear, err := s.ResolveTitle(ctx, c.text, 1)
		if err != nil {
			return nil, err
		}
		if clear && len(m) > 0 && m[0].ID == id {
			out = append(out, c.from)
		}
	}
	return out, nil
}
