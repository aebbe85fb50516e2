package feed

import (
	"fmt"
	"html"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
	xhtml "golang.org/x/net/html"
)

// Limits on display text, in characters.
const (
	maxTitle       = 300 // longer titles are cut at a word and end in "…"
	maxExcerpt     = 80  // a title made from the start of the text
	maxDescription = 500
	maxAuthor      = 200
	maxKey         = 512 // longer keys are replaced by their hash
)

// maxSkipWarnings is how many skipped items are named in warnings; the rest
// are counted in one more.
const maxSkipWarnings = 10

// Dates before minYear are placeholders (1970, 0001) rather than real dates;
// dates more than futureSlack after the parse are clock or feed mistakes.
const (
	minYear     = 1990
	futureSlack = 24 * time.Hour
)

// normalize maps a gofeed feed to brief's Feed. It is a pure function of its
// arguments (now only decides which dates lie in the future):
//
//   - Text (titles, authors, descriptions) is repaired (see repairText),
//     stripped of HTML tags and entities and cleaned with CleanText. A title
//     longer than maxTitle characters is cut; an item without a title takes the
//     start of its text, or its link.
//   - URLs are resolved against the feed's site link (itself resolved against
//     feedURL), or feedURL; only http and https URLs are kept (CheckURL). An
//     item without a link whose GUID is an http(s) URL uses the GUID.
//   - The body is the richest of content:encoded / content / description /
//     summary / media:description (the one with most text), converted by
//     ConvertHTML against the item's URL.
//   - Dates: Published is the published date, else the updated date; Updated
//     is the updated date. A date before 1990 or more than a day in the future
//     counts as absent (zero): Parse cannot know the real date, and the store
//     uses the time it first saw the item instead.
//   - Keys: see assignKeys. Items with identical keys (true duplicates) are
//     kept once.
//   - An item that cannot be normalised, or that has no title, link or text,
//     is skipped with a warning instead of failing the feed.
func normalize(src *gofeed.Feed, feedURL string, now time.Time) *Feed {
	f := &Feed{
		Title:       cleanLine(src.Title, maxTitle),
		Description: cleanLine(src.Description, maxDescription),
	}
	feedBase, err := url.Parse(strings.TrimSpace(feedURL))
	if err != nil || !feedBase.IsAbs() {
		feedBase = nil
	}
	site := src.Link
	if site == "" && len(src.Links) > 0 && src.Links[0] != src.FeedLink {
		site = src.Links[0]
	}
	f.SiteURL = absURL(feedBase, site)
	base := feedBase
	if f.SiteURL != "" {
		base, _ = url.Parse(f.SiteURL)
	}

	// Atom and JSON Feed entries without an author inherit the feed's.
	feedAuthor := ""
	if src.FeedType == "atom" || src.FeedType == "json" {
		feedAuthor = authorNames(src.Authors, nil)
	}
	items := src.Items
	if len(items) > maxItems {
		f.Warnings = append(f.Warnings, fmt.Sprintf("feed: the feed has %d items; showing the first %d", len(items), maxItems))
		items = items[:maxItems]
	}
	drafts := make([]draft, 0, len(items))
	skipped, limited := 0, 0
	for i, it := range items {
		if it == nil {
			continue
		}
		d, err := normalizeItem(it, base, now)
		if err != nil {
			if skipped++; skipped <= maxSkipWarnings {
				f.Warnings = append(f.Warnings, fmt.Sprintf("feed: item %d skipped: %v", i+1, err))
			}
			continue
		}
		if d.item.Author == "" {
			d.item.Author = feedAuthor
		}
		drafts = append(drafts, d)
		if cut := d.item.Body.Cut; len(cut) > 0 {
			if limited++; limited <= maxSkipWarnings {
				f.Warnings = append(f.Warnings, fmt.Sprintf("feed: item %d: %s", i+1, strings.Join(cut, "; ")))
			}
		}
	}
	if limited > maxSkipWarnings {
		f.Warnings = append(f.Warnings, fmt.Sprintf("feed: %d more items cut to brief's limits", limited-maxSkipWarnings))
	}
	if skipped > maxSkipWarnings {
		f.Warnings = append(f.Warnings, fmt.Sprintf("feed: %d more items skipped", skipped-maxSkipWarnings))
	}
	assignKeys(drafts)

	f.Items = make([]Item, 0, len(drafts))
	seen := make(map[string]bool, len(drafts))
	dups := 0
	for _, d := range drafts {
		if seen[d.item.Key] {
			dups++
			continue
		}
		seen[d.item.Key] = true
		f.Items = append(f.Items, d.item)
	}
	if dups > 0 {
		f.Warnings = append(f.Warnings, fmt.Sprintf("feed: %d duplicate items dropped", dups))
	}
	return f
}

// draft is a normalised item with what its key is made from.
type draft struct {
	item    Item
	normURL string // NormalizeURL of item.URL, or ""
	hash    string // of the raw title and body
}

// normalizeItem normalises one item; a panic while doing so becomes an error.
func normalizeItem(it *gofeed.Item, base *url.URL, now time.Time) (d draft, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("it could not be read (%s)", CleanText(fmt.Sprint(r)))
		}
	}()
	item := Item{GUID: CleanText(restoreControls(it.GUID))}
	item.URL = itemLink(it, base, item.GUID)
	rawBody := richestBody(it)
	bodyBase := item.URL
	if bodyBase == "" && base != nil {
		bodyBase = base.String()
	}
	if strings.TrimSpace(rawBody) != "" {
		item.Body = repairBody(ConvertHTML(asHTML(repairText(restoreControls(rawBody))), bodyBase))
	}
	item.Title = cleanLine(it.Title, maxTitle)
	if item.Title == "" {
		item.Title = cleanLine(mediaValue(it, "title"), maxTitle)
	}
	if item.Title == "" {
		item.Title = cutAtWord(CleanText(item.Body.Text), maxExcerpt)
	}
	if item.Title == "" && item.URL == "" {
		return draft{}, fmt.Errorf("it has no title, link or text")
	}
	if item.Title == "" {
		item.Title = cutAtWord(item.URL, maxTitle)
	}
	item.Author = itemAuthor(it)
	item.Updated = saneDate(it.UpdatedParsed, now)
	item.Published = saneDate(it.PublishedParsed, now)
	if item.Published.IsZero() {
		item.Published = item.Updated
	}

	d = draft{item: item, hash: contentHash(it.Title, rawBody)}
	if item.URL != "" {
		d.normURL = NormalizeURL(item.URL)
	}
	return d, nil
}

// repairBody repairs mojibake that only HTML decoding revealed (a body
// with "&amp;#226;&amp;#128;&amp;#153;" shows "â€™"); see repairText.
func repairBody(b Body) Body {
	b.Markdown = repairText(b.Markdown)
	b.Text = repairText(b.Text)
	for i := range b.Links {
		b.Links[i].Text = repairText(b.Links[i].Text)
	}
	return b
}

// itemLink returns the item's absolute http(s) link: its link, another of its
// links, or its GUID when that is an http(s) URL; "" when it has none.
func itemLink(it *gofeed.Item, base *url.URL, guid string) string {
	if u := absURL(base, it.Link); u != "" {
		return u
	}
	for _, l := range it.Links {
		if u := absURL(base, l); u != "" {
			return u
		}
	}
	if g := strings.ToLower(guid); strings.HasPrefix(g, "http://") || strings.HasPrefix(g, "https://") {
		return absURL(nil, guid)
	}
	return ""
}

// absURL resolves raw against base (nil: raw must be absolute) and returns it
// if it is a safe http(s) URL (CheckURL) that does not hide a control
// character behind percent-encoding, else "".
func absURL(base *url.URL, raw string) string {
	u, err := resolveRef(base, restoreControls(raw))
	if err != nil {
		return ""
	}
	s, err := CheckURL(u.String())
	if err != nil || hidesControl(s) {
		return ""
	}
	return s
}

// hidesControl reports whether the URL s, percent-decoded, holds a control
// character (C0, DEL or C1) or one of the stand-ins xmlSafe puts in for
// them: gofeed resolves Atom links against xml:base, which percent-encodes
// the stand-in for an ESC ("&#27;[2J" becomes "%EF%9C%9B%5B2J"). No real
// article link needs either.
func hidesControl(s string) bool {
	if strings.IndexByte(s, '%') >= 0 {
		b := make([]byte, 0, len(s))
		for i := 0; i < len(s); i++ {
			if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
				i += 2
				continue
			}
			b = append(b, s[i])
		}
		s = string(b)
	}
	for _, r := range s { // bytes that are not UTF-8 (%FF) are no control
		if r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r >= controlStandIn && r < controlStandIn+0x20 {
			return true
		}
	}
	return false
}

// richestBody returns the item's body source with the most text among
// content (content:encoded, Atom content, JSON content_html/content_text),
// description (description, summary, itunes:summary) and media:description.
func richestBody(it *gofeed.Item) string {
	best, bestText := "", -1
	for _, c := range []string{it.Content, it.Description, mediaValue(it, "description")} {
		// The most text wins; with equal text (say, only an image), the
		// longer markup.
		if n := textLen(c); n > bestText || (n == bestText && len(c) > len(best)) {
			best, bestText = c, n
		}
	}
	return best
}

// mediaValue returns the first non-empty Media RSS element name (such as
// "title" or "description") of an item, looking at the item, its
// media:group and media:content elements, and the media:content elements of
// its groups (YouTube puts the only text of a video there); "" when none.
func mediaValue(it *gofeed.Item, name string) string {
	media := it.Extensions["media"]
	if media == nil {
		return ""
	}
	levels := [][]ext.Extension{media[name]}
	for _, parent := range []string{"group", "content"} {
		for _, p := range media[parent] {
			levels = append(levels, p.Children[name])
			for _, c := range p.Children["content"] {
				levels = append(levels, c.Children[name])
			}
		}
	}
	for _, level := range levels {
		for _, e := range level {
			if strings.TrimSpace(e.Value) != "" {
				return e.Value
			}
		}
	}
	return ""
}

// textLen estimates how much text HTML holds: its length outside tags.
func textLen(s string) int {
	n, inTag := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '<':
			inTag = true
		case c == '>' && inTag:
			inTag = false
		case !inTag && c > ' ':
			n++
		}
	}
	return n
}

// asHTML returns s if it looks like HTML; plain text (JSON content_text,
// Atom text, media:description) becomes HTML that keeps its line breaks.
// Entities in plain text are left for the HTML parser to decode.
func asHTML(s string) string {
	if s == "" || looksLikeMarkup(s) || !strings.Contains(s, "\n") {
		return s
	}
	s = strings.NewReplacer("<", "&lt;", ">", "&gt;", "\r\n", "\n").Replace(strings.TrimSpace(s))
	paras := strings.Split(s, "\n\n")
	for i, p := range paras {
		paras[i] = "<p>" + strings.ReplaceAll(strings.TrimSpace(p), "\n", "<br>") + "</p>"
	}
	return strings.Join(paras, "\n")
}

// looksLikeMarkup reports whether s contains something like an HTML tag or
// comment: '<' followed by a letter, '/' or '!', with a '>' later.
func looksLikeMarkup(s string) bool {
	for i := strings.IndexByte(s, '<'); i >= 0 && i+1 < len(s); {
		c := s[i+1]
		if (c|0x20 >= 'a' && c|0x20 <= 'z') || c == '/' || c == '!' {
			return strings.IndexByte(s[i:], '>') > 0
		}
		j := strings.IndexByte(s[i+1:], '<')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// cleanLine turns a feed's title, author or description into one line of
// display text of at most limit characters: control characters restored
// (see xmlSafe), mojibake repaired, HTML tags removed and entities decoded
// (titles are often HTML), then CleanText.
func cleanLine(s string, limit int) string {
	return cutAtWord(CleanText(stripMarkup(repairText(restoreControls(s)))), limit)
}

// stripMarkup returns the text of s with HTML tags removed and entities
// decoded; s is returned as it is when it has neither.
func stripMarkup(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	if !looksLikeMarkup(s) {
		return html.UnescapeString(s)
	}
	var b strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return b.String()
		case xhtml.TextToken:
			b.Write(z.Text())
		case xhtml.StartTagToken, xhtml.EndTagToken, xhtml.SelfClosingTagToken:
			b.WriteByte(' ') // "a<br>b" is two words; CleanText collapses spaces
		}
	}
}

// cutAtWord returns s cut to at most limit characters, at a word boundary
// when there is one in the second half, ending in "…".
func cutAtWord(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	cut, n := 0, 0
	for i := range s {
		if n == limit-1 {
			cut = i
			break
		}
		n++
	}
	head := s[:cut]
	if sp := strings.LastIndexByte(head, ' '); sp > len(head)/2 {
		head = head[:sp]
	}
	return strings.TrimRight(head, " ,;:.-–—") + "…"
}

// itemAuthor returns the item's author names (Atom authors, RSS author,
// dc:creator, itunes:author), cleaned and joined with ", ".
func itemAuthor(it *gofeed.Item) string {
	people := it.Authors
	if len(people) == 0 && it.Author != nil {
		people = []*gofeed.Person{it.Author}
	}
	var more []string
	if it.DublinCoreExt != nil {
		more = append(more, it.DublinCoreExt.Creator...)
	}
	if it.ITunesExt != nil {
		more = append(more, it.ITunesExt.Author)
	}
	return authorNames(people, more)
}

// authorNames cleans and joins the names of people (one known only by
// e-mail address is shown by it), or, when none has one, of the first of
// the fallback names that is not empty.
func authorNames(people []*gofeed.Person, fallback []string) string {
	var names []string
	seen := map[string]bool{}
	add := func(s string) {
		if s = cleanLine(s, maxAuthor); s != "" && !seen[s] {
			seen[s] = true
			names = append(names, s)
		}
	}
	for _, p := range people {
		switch {
		case p == nil:
		case strings.TrimSpace(p.Name) != "":
			add(p.Name)
		default:
			add(p.Email)
		}
	}
	for _, s := range fallback {
		if len(names) > 0 {
			break
		}
		add(s)
	}
	return cutAtWord(strings.Join(names, ", "), maxAuthor)
}

// saneDate returns *t in UTC, or zero when t is absent, before minYear or
// more than futureSlack after now.
func saneDate(t *time.Time, now time.Time) time.Time {
	if t == nil || t.Year() < minYear || t.After(now.Add(futureSlack)) {
		return time.Time{}
	}
	return t.UTC()
}
