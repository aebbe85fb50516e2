package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

type choiceKind int

const (
	choiceAll choiceKind = iota
	choiceUnread
	choiceStarred
	choiceTag
	choiceFeed
	choiceView
	choiceIgnored
	choiceSection // a heading, never selected
)

// choice is one entry of the feed chooser.
type choice struct {
	kind    choiceKind
	label   string
	feedID  int64
	tag     string
	tags    []string
	view    int          // choiceView: its index in the dotfile's views
	query   *store.Query // choiceView: the view's query
	unread  int
	total   int
	failing bool
}

func (c choice) same(o choice) bool {
	return c.kind == o.kind && c.feedID == o.feedID && c.tag == o.tag && c.view == o.view
}

// filter is the list filter the choice selects.
func (c choice) filter() store.Filter {
	switch c.kind {
	case choiceUnread:
		return store.Filter{Unread: true}
	case choiceStarred:
		return store.Filter{Starred: true}
	case choiceTag:
		return store.Filter{Tag: c.tag}
	case choiceFeed:
		return store.Filter{FeedID: c.feedID}
	case choiceView:
		return store.Filter{Match: c.query}
	case choiceIgnored:
		return store.Filter{Ignored: true}
	}
	return store.Filter{}
}

// feedsPane is the feed chooser: All, Unread, Starred, the tags, then every
// feed with its unread count and tags. It reads the feeds and the header's
// counts, and tells choiceMsg when an entry is chosen.
type feedsPane struct {
	paneBase
	store    feedsStore
	items    []choice
	cursor   int
	offset   int
	active   choice // the choice the list shows
	feeds    []store.Feed
	counts   store.Counts
	accounts []store.Account // sync accounts: their headings say when they synced
	seq      int             // the latest load; older replies are dropped
	views    []SavedView
	viewN    []int // the views' unread counts
	kill     bool  // kill rules exist: list "Ignored"
}

func newFeedsPane(b paneBase, s feedsStore, views []SavedView, kill bool) feedsPane {
	p := feedsPane{paneBase: b, store: s, active: choice{kind: choiceAll, label: "All"}, seq: 1, views: views, kill: kill}
	p.setFeeds(nil, store.Counts{})
	return p
}

// Init reads the feeds and the counts.
func (p feedsPane) Init() tea.Cmd { return loadFeeds(p.store, p.views, p.seq) }

// unread is the header's count of unread articles.
func (p feedsPane) unread() int { return p.counts.Unread }

// load reads the feeds and the counts again.
func (p *feedsPane) load() tea.Cmd {
	p.seq++
	return loadFeeds(p.store, p.views, p.seq)
}

// Update handles the chooser's keys (when it has the focus), its mouse
// events and the feeds it asked for.
func (p feedsPane) Update(msg tea.Msg) (feedsPane, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return p, p.key(msg)
	case tea.MouseMsg:
		if d := wheel(msg); d != 0 {
			p.move(d)
		} else if msg.Button == tea.MouseButtonLeft {
			p.clickRow(msg.Y)
			p.choose()
		}
	case feedsLoadedMsg:
		if msg.seq != p.seq {
			return p, nil
		}
		if msg.err != nil {
			p.status(statusError, "reading feeds: %v", msg.err)
			return p, nil
		}
		p.counts = msg.counts
		p.accounts = msg.accounts
		p.viewN = msg.viewUnread
		p.setFeeds(msg.feeds, msg.counts)
	}
	return p, nil
}

func (p *feedsPane) key(msg tea.KeyMsg) tea.Cmd {
	k := p.keys
	switch {
	case key.Matches(msg, k.Up):
		p.move(-1)
	case key.Matches(msg, k.Down):
		p.move(1)
	case key.Matches(msg, k.Top):
		p.top()
	case key.Matches(msg, k.Bottom):
		p.bottom()
	case key.Matches(msg, k.PageDown):
		p.page(1)
	case key.Matches(msg, k.PageUp):
		p.page(-1)
	case key.Matches(msg, k.Open):
		p.choose()
	case key.Matches(msg, k.NextPane, k.Back):
		p.tell(focusMsg{to: paneList})
	case key.Matches(msg, k.PrevPane):
		p.tell(focusMsg{to: paneFeeds, step: -1})
	}
	return nil
}

// choose shows the selected entry in the list.
func (p *feedsPane) choose() {
	p.active = p.selected()
	p.tell(choiceMsg{c: p.active})
}

// activeLabel names the entry the list shows.
func (p feedsPane) activeLabel() string {
	if p.active.label == "" {
		return "All"
	}
	return p.active.label
}

// hint is the status line's hint while the chooser has the focus.
func (p feedsPane) hint() string {
	return keyOf(p.keys.Open) + " shows · " + keyOf(p.keys.NextPane) + " list · " + keyOf(p.keys.Help) + " help"
}

func (p *feedsPane) SetSize(w, h int) {
	p.width, p.height = w, h
	p.scroll()
}

// setFeeds rebuilds the entries, keeping the cursor on the same one.
func (p *feedsPane) setFeeds(feeds []store.Feed, c store.Counts) {
	var cur choice
	if p.cursor < len(p.items) {
		cur = p.items[p.cursor]
	}
	p.feeds = feeds
	items := []choice{
		{kind: choiceAll, label: "All", unread: c.Unread, total: c.All},
		{kind: choiceUnread, label: "Unread", unread: c.Unread},
		{kind: choiceStarred, label: "Starred", total: c.Starred},
	}
	if len(p.views) > 0 || p.kill {
		items = append(items, choice{kind: choiceSection, label: "Views"})
		for i, v := range p.views {
			n := 0
			if i < len(p.viewN) {
				n = p.viewN[i]
			}
			items = append(items, choice{kind: choiceView, label: feed.CleanText(v.Name), view: i, query: v.Query, unread: n})
		}
		if p.kill {
			items = append(items, choice{kind: choiceIgnored, label: "Ignored (kill rules)"})
		}
	}
	local, accounts := splitAccountFeeds(feeds)
	tagUnread := map[string]int{}
	var tags []string
	for _, f := range local {
		for _, t := range f.Tags {
			t = feed.CleanText(t)
			if _, ok := tagUnread[t]; !ok && t != "" {
				tags = append(tags, t)
			}
			tagUnread[t] += f.Unread
		}
	}
	slices.Sort(tags)
	if len(tags) > 0 {
		items = append(items, choice{kind: choiceSection, label: "Tags"})
		for _, t := range tags {
			items = append(items, choice{kind: choiceTag, label: "#" + t, tag: t, unread: tagUnread[t]})
		}
	}
	if len(local) > 0 {
		items = append(items, choice{kind: choiceSection, label: "Feeds"})
	}
	for _, f := range local {
		items = append(items, feedChoice(f, ""))
	}
	items = append(items, accountChoices(accounts, p.accounts)...)
	p.items = items
	p.cursor = 0
	for i, it := range items {
		if it.same(cur) {
			p.cursor = i
		}
		if it.same(p.active) {
			p.active = it
		}
	}
	p.scroll()
}

func (p feedsPane) selected() choice {
	if p.cursor < len(p.items) {
		return p.items[p.cursor]
	}
	return choice{kind: choiceAll, label: "All"}
}

// feedIDs returns the feeds the cursor names (a feed, or every feed of a tag).
func (p feedsPane) feedIDs(c choice) []int64 {
	switch c.kind {
	case choiceFeed:
		return []int64{c.feedID}
	case choiceTag:
		var ids []int64
		for _, f := range p.feeds {
			if slices.Contains(f.Tags, c.tag) {
				ids = append(ids, f.ID)
			}
		}
		return ids
	}
	return nil
}

func (p *feedsPane) move(delta int) {
	if len(p.items) == 0 {
		return
	}
	i := p.cursor
	for {
		i += delta
		if i < 0 || i >= len(p.items) {
			break
		}
		if p.items[i].kind != choiceSection {
			p.cursor = i
			break
		}
	}
	p.scroll()
}

func (p *feedsPane) top() { p.cursor = 0; p.scroll() }

func (p *feedsPane) bottom() {
	p.cursor = max(0, len(p.items)-1)
	p.scroll()
}

func (p *feedsPane) page(delta int) {
	steps := max(1, p.height-1)
	for range steps {
		before := p.cursor
		p.move(delta)
		if p.cursor == before {
			break
		}
	}
}

func (p *feedsPane) clickRow(y int) {
	i := p.offset + y
	if i >= 0 && i < len(p.items) && p.items[i].kind != choiceSection {
		p.cursor = i
	}
}

func (p *feedsPane) scroll() {
	if p.height <= 0 {
		return
	}
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+p.height {
		p.offset = p.cursor - p.height + 1
	}
	p.offset = max(0, min(p.offset, len(p.items)-p.height))
}

func (p feedsPane) View() string {
	lines := make([]string, 0, p.height)
	for i := p.offset; i < len(p.items) && len(lines) < p.height; i++ {
		lines = append(lines, p.row(p.styles, p.items[i], i == p.cursor, p.focused))
	}
	return fill(lines, p.width, p.height)
}

func (p feedsPane) row(s *Styles, c choice, cursor, focused bool) string {
	w := p.width
	if c.kind == choiceSection {
		return s.Section.Render(ansi.Truncate(" "+c.label, w, ""))
	}
	// Every count is of unread articles, but Starred's, which counts the
	// starred ones (its unread share is unknown) and says so with a star.
	count := ""
	switch {
	case c.kind == choiceStarred:
		if c.total > 0 {
			count = "★ " + thousands(c.total)
		}
	case c.unread > 0:
		count = thousands(c.unread)
	}
	cw := ansi.StringWidth(count)
	mark := "  "
	if c.same(p.active) {
		mark = "▸ "
	}
	if c.failing {
		mark = "! "
	}
	label := c.label
	var tags string
	if c.kind == choiceFeed && len(c.tags) > 0 {
		ts := make([]string, 0, len(c.tags))
		for _, t := range c.tags {
			ts = append(ts, "#"+feed.CleanText(t))
		}
		tags = " " + strings.Join(ts, " ")
	}
	room := w - 2 - cw - 1
	label = ansi.Truncate(label, max(1, room), "…")
	tagRoom := room - ansi.StringWidth(label)
	if tagRoom > 4 && tags != "" {
		tags = ansi.Truncate(tags, tagRoom, "…")
	} else {
		tags = ""
	}
	pad := max(1, w-2-ansi.StringWidth(label)-ansi.StringWidth(tags)-cw)
	if cursor {
		st := s.SelectedBlur
		if focused {
			st = s.Selected
		}
		return st.Render(ansi.Truncate(mark+label+tags+strings.Repeat(" ", pad)+count, w, ""))
	}
	markStyle, labelStyle := s.Dim, s.Header
	if c.failing {
		markStyle = s.Failing
	}
	if c.same(p.active) {
		markStyle, labelStyle = s.Active, s.Active
	}
	return ansi.Truncate(markStyle.Render(mark)+labelStyle.Render(label)+s.Dim.Render(tags)+
		strings.Repeat(" ", pad)+s.Dim.Render(count), w, "")
}
