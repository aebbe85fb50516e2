package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/brief-reader/brief/feed"
)

// This file resolves title-only "Read also" links (a line that names an
// article without linking to it). A link is matched once, when the article
// it is in is written, and again when an article with its title arrives;
// the match is stored in links.target_id, so that opening an article and
// listing backlinks are indexed lookups. Matching goes by provenance: an
// article of the same feed, else of the same site, may match by the same
// headline or a clear near-duplicate (see headline.go); an article of
// another site only by the same headline, and the link is marked cross-site.

// LinkTarget is the cached article a link of an article leads to.
type LinkTarget struct {
	ArticleRow
	ByTitle   bool // a title-only link, matched by title
	CrossSite bool // matched by title to an article of another site (same headline only)
}

// querier is a *sql.Tx, a *sql.DB or a stmtCache.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// titleCandidateScan bounds the full-text matches ResolveTitle looks at
// (the newest first).
const titleCandidateScan = 200

// titleSource is the article a title-only link is in.
type titleSource struct {
	id     int64
	feedID int64 // 0 for a linked page
	site   string
}

// titleLink is a stored title-only link with what it resolved to.
type titleLink struct {
	src    titleSource
	n      int
	text   string
	target int64
	cross  bool
}

// titleMatch is a resolved title-only link: target 0 when nothing matched.
type titleMatch struct {
	target int64
	cross  bool
}

// sourceSite is the site of an article for provenance: for an article of
// a feed, the site of the feed's own address (which the user subscribed to,
// unlike the addresses a feed claims), qualified by the site the feed names
// as its home page, so that feeds of one hosting service are not one site;
// for a linked page, the site of its address.
func sourceSite(feedID int64, articleURL, feedURL, siteURL string) string {
	if feedID == 0 {
		return siteOf(articleURL)
	}
	return siteOf(feedURL) + " " + siteOf(siteURL)
}

// sameSite reports whether two sourceSite values are one site: the same
// feed host, and home pages that do not disagree.
func sameSite(a, b string) bool {
	af, ah, _ := strings.Cut(a, " ")
	bf, bh, _ := strings.Cut(b, " ")
	if af == "" || af != bf {
		return false
	}
	return ah == "" || bh == "" || ah == bh
}

// titleSourceColumns are the columns titleLinks reads, of links l,
// articles a (the link's article) and feeds f.
const titleSourceColumns = `l.article_id, l.n, l.text, coalesce(l.target_id, 0), l.cross_site,
 coalesce(a.feed_id, 0), a.url, coalesce(f.url, ''), coalesce(f.site_url, '')`

const titleLinksFrom = ` FROM links l JOIN articles a ON a.id = l.article_id LEFT JOIN feeds f ON f.id = a.feed_id
 WHERE l.url = '' AND l.text <> '' AND `

// titleLinks returns the title-only links matching cond (over links l and
// articles a), with their sources.
func titleLinks(ctx context.Context, q querier, cond string, args ...any) ([]titleLink, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+titleSourceColumns+titleLinksFrom+cond, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []titleLink
	for rows.Next() {
		var l titleLink
		var aURL, fURL, siteURL string
		if err := rows.Scan(&l.src.id, &l.n, &l.text, &l.target, &l.cross, &l.src.feedID, &aURL, &fURL, &siteURL); err != nil {
			return nil, err
		}
		l.src.site = sourceSite(l.src.feedID, aURL, fURL, siteURL)
		out = append(out, l)
	}
	return out, rows.Err()
}

// titleCandidatesSQL returns the visible articles among the ids ?1 (a
// subquery's or a JSON array's), except ?2, with what ranking needs.
const titleCandidatesSQL = `SELECT a.id, coalesce(a.feed_id, 0), a.title, a.url, coalesce(f.url, ''), coalesce(f.site_url, ''), a.sort_date
 FROM articles a LEFT JOIN feeds f ON f.id = a.feed_id
 WHERE a.id IN (%s) AND a.id <> ? AND (a.is_page = 1 OR f.active = 1)`

// exactIDs are the articles whose title hashes may make them the same
// headline as a link with hashes ?1 (words) and ?2 (words before a suffix).
// (base_hash <> 0 lets SQLite use the partial index.)
const exactIDs = `SELECT article_id FROM titles WHERE hash IN (?, ?)
 UNION SELECT article_id FROM titles WHERE base_hash = ? AND base_hash <> 0`

// nearIDs are the newest articles holding one half or the other of a
// link's words (a full-text query): a near-duplicate differs in one place.
const nearIDs = `SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ` + "200"

// resolveTitle finds the article the title-only link text of src names:
// the same headline through the title hashes (an indexed lookup), else,
// for a long enough headline, a near-duplicate of the same feed or site
// among the full-text matches of either half of its words.
func resolveTitle(ctx context.Context, q querier, src titleSource, text string) (titleMatch, error) {
	link := linkHeadline(text)
	if len(link.words) == 0 {
		return titleMatch{}, nil
	}
	hf, hs := link.hashes()
	m, err := bestTitle(ctx, q, src, link, fmt.Sprintf(titleCandidatesSQL, exactIDs), hf, hs, hf, src.id)
	if err != nil || (m.target != 0 && !m.cross) || link.base < minNearWords {
		return m, err
	}
	// Nothing of the same feed or site has the headline: a near-duplicate
	// of theirs still comes before another site's copy.
	ws := link.words[:link.base]
	if link.truncated {
		ws = ws[:len(ws)-1]
	}
	half := len(ws) / 2
	match := "title : ((" + quoteAll(ws[:half]) + ") OR (" + quoteAll(ws[half:]) + "))"
	near, err := bestTitle(ctx, q, src, link, fmt.Sprintf(titleCandidatesSQL, nearIDs), match, src.id)
	if err != nil || near.target == 0 || near.cross {
		return m, err
	}
	return near, nil
}

// titleHash is the hash of a headline key stored in titles and links:
// 64-bit FNV-1a, never 0 (which stands for none).
func titleHash(key string) int64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	if v := int64(h.Sum64()); v != 0 {
		return v
	}
	return 1
}

// hashes returns the hash of h's words and, when it has a source suffix,
// of the words before it (else 0).
func (h headline) hashes() (full, base int64) {
	if len(h.words) == 0 {
		return 0, 0
	}
	full = titleHash(h.key())
	if h.base < len(h.words) {
		base = titleHash(h.stripped())
	}
	return full, base
}

// quoteAll quotes each word for FTS5, separated by spaces (all required).
func quoteAll(ws []string) string {
	quoted := make([]string, len(ws))
	for i, w := range ws {
		quoted[i] = quote(w)
	}
	return strings.Join(quoted, " ")
}

// bestTitle ranks the candidates of the full-text query match for link:
// the same feed first, then the same site, then (same headline only) any
// other; the same headline before a near-duplicate; the newest first.
func bestTitle(ctx context.Context, q querier, src titleSource, link headline, query string, args ...any) (titleMatch, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return titleMatch{}, err
	}
	defer rows.Close()
	type ranked struct {
		tier  int // 0 same feed, 1 same site, 2 another site
		near  bool
		date  int64
		id    int64
		cross bool
	}
	var best *ranked
	for rows.Next() {
		var id, feedID, date int64
		var title, aURL, fURL, siteURL string
		if err := rows.Scan(&id, &feedID, &title, &aURL, &fURL, &siteURL, &date); err != nil {
			return titleMatch{}, err
		}
		h := parseHeadline(feed.CleanText(title))
		c := ranked{tier: 2, date: date, id: id}
		switch {
		case src.feedID != 0 && feedID == src.feedID:
			c.tier = 0
		case sameSite(src.site, sourceSite(feedID, aURL, fURL, siteURL)):
			c.tier = 1
		}
		switch {
		case sameHeadline(link, h):
		case c.tier < 2 && nearHeadline(link, h):
			c.near = true
		default:
			continue
		}
		c.cross = c.tier == 2
		if best == nil || better(c.tier, c.near, c.date, c.id, best.tier, best.near, best.date, best.id) {
			best = &c
		}
	}
	if err := rows.Err(); err != nil {
		return titleMatch{}, err
	}
	if best == nil {
		return titleMatch{}, nil
	}
	return titleMatch{target: best.id, cross: best.cross}, nil
}

// better orders candidates: lower tier, then not near, then newer, then higher id.
func better(tier int, near bool, date, id int64, btier int, bnear bool, bdate, bid int64) bool {
	switch {
	case tier != btier:
		return tier < btier
	case near != bnear:
		return !near
	case date != bdate:
		return date > bdate
	}
	return id > bid
}

// Targets returns the cached article each link of article id leads to,
// keyed by Link.N: links with a URL matched by normalised URL (as
// LinkTargets), title-only links from the matches stored when the article
// or its target was written (see resolveTitles). links are the article's
// links (nil: read them). Links without a cached target are absent.
func (s *Store) Targets(ctx context.Context, id int64, links []feed.Link) (map[int]LinkTarget, error) {
	if links == nil {
		var err error
		if links, err = s.links(ctx, id); err != nil {
			return nil, err
		}
	}
	byURL, err := s.urlTargets(ctx, links)
	if err != nil {
		return nil, err
	}
	out := make(map[int]LinkTarget, len(byURL))
	for n, r := range byURL {
		out[n] = LinkTarget{ArticleRow: r}
	}
	rows, err := s.r.QueryContext(ctx, "SELECT "+rowColumns+`, l.n, l.cross_site
 FROM links l JOIN articles a ON a.id = l.target_id
 WHERE l.article_id = ? AND l.target_id IS NOT NULL AND l.url = '' AND`+visible, id)
	if err != nil {
		return nil, s.wrap("link targets", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n int
		var cross bool
		r, err := scanRow(rows, &n, &cross)
		if err != nil {
			return nil, s.wrap("link targets", err)
		}
		out[n] = LinkTarget{ArticleRow: r, ByTitle: true, CrossSite: cross}
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("link targets", err)
	}
	return out, nil
}

// ResolveTitle finds the cached articles (of active feeds, and linked pages)
// whose title is title, as a title-only link names them: the same headline
// (see sameHeadline), the newest first, at most limit (default 5); clear
// reports a single one. A leading "Read also" marker of title is ignored.
// It knows nothing of where the title was found: the reader follows the
// matches stored for an article's links (Targets), which go by provenance.
func (s *Store) ResolveTitle(ctx context.Context, title string, limit int) (matches []ArticleRow, clear bool, err error) {
	if limit <= 0 {
		limit = 5
	}
	want := linkHeadline(title)
	ws := want.words[:want.base]
	if len(ws) == 0 {
		return nil, false, nil
	}
	rows, err := s.r.QueryContext(ctx, "SELECT "+rowColumns+visibleFrom+`
 WHERE a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?) AND`+visible+listOrder,
		"title : ("+quoteAll(ws)+")", titleCandidateScan)
	if err != nil {
		return nil, false, s.wrap("resolve title", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return nil, false, s.wrap("resolve title", err)
		}
		if sameHeadline(want, parseHeadline(feed.CleanText(r.Title))) {
			matches = append(matches, r)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, s.wrap("resolve title", err)
	}
	clear = len(matches) == 1
	if len(matches) > limit {
		matches = matches[:limit]
	}
	return matches, clear, nil
}

// linkHeadline is the headline a title-only link names: its text without a
// leading "Read also" marker.
func linkHeadline(text string) headline {
	return parseHeadline(stripLinkMarker(feed.CleanText(text)))
}

// stripLinkMarker drops a leading "Read also" marker followed by a colon or
// a dash ("Read also: Title" → "Title"); a title that merely starts with
// such a word ("Related parties agree") is kept.
func stripLinkMarker(title string) string {
	for _, m := range feed.ReadAlsoMarkers {
		if len(title) <= len(m) || !strings.EqualFold(title[:len(m)], m) {
			continue
		}
		rest := strings.TrimLeft(title[len(m):], " ")
		if r := strings.TrimLeft(rest, ":：-–—|»›>→"); r != rest && strings.TrimSpace(r) != "" {
			return strings.TrimSpace(r)
		}
	}
	return title
}

// Backlinks returns the visible articles that link to article id, newest
// first, excluding the article itself, in one indexed query: links by
// normalised URL (the article's own or, for a linked page, a URL that
// redirected to it), title-only links matched to it (stored when either
// article was written), and the article a linked page was first reached from.
func (s *Store) Backlinks(ctx context.Context, id int64) ([]ArticleRow, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT "+rowColumns+visibleFrom+`
 WHERE a.id IN (
     SELECT l.article_id FROM links l WHERE l.target_id = ?1
     UNION SELECT l.article_id FROM links l WHERE l.url_norm <> '' AND l.url_norm IN (
          SELECT t.url_norm FROM articles t WHERE t.id = ?1
          UNION ALL SELECT p.url_norm FROM page_aliases p WHERE p.article_id = ?1)
     UNION SELECT t.linked_from FROM articles t WHERE t.id = ?1)
   AND a.id <> ?1 AND`+visible+listOrder+` LIMIT 500`, id)
	if err != nil {
		return nil, s.wrap("backlinks", err)
	}
	return s.collect(rows, "backlinks")
}
