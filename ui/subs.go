package ui

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// This file is the subscriptions overlay: "a" asks for a feed or page URL,
// finds its feeds (a pick list when there are several) and adds the one
// chosen; "D" on a feed of the chooser asks before removing it. Both edit
// the dotfile through Options.Subs in Cmds. It also holds the watch on the
// dotfile: a look every watchEvery, so an editor's save shows at once.

// Subscriptions edits and watches the dotfile for the reader; main's
// implementation makes the same edits as brief add and remove. Every method
// does I/O and is only called from a tea.Cmd.
type Subscriptions interface {
	// Discover finds the feeds behind a feed URL or a web page.
	Discover(ctx context.Context, rawURL string) ([]feed.Candidate, error)
	// Add checks a candidate's feed, adds it to the dotfile and the store's
	// feed list, and returns its title and item count.
	Add(ctx context.Context, c feed.Candidate) (title string, items int, err error)
	// Remove takes the feed with this URL out of the dotfile and the
	// store's feed list (its articles stay) and returns its title.
	Remove(ctx context.Context, feedURL string) (title string, err error)
	// Reload brings the store's feed list in line with the dotfile when the
	// file changed, and says whether it did; a file that does not load is an
	// error (with its line and column) and changes nothing.
	Reload(ctx context.Context) (changed bool, err error)
}

const (
	watchEvery      = 2 * time.Second  // how often the dotfile is looked at, by default
	discoverTimeout = 90 * time.Second // a page, then up to a dozen usual paths
	addTimeout      = 45 * time.Second
)

type subsMode int

const (
	subsInput   subsMode = iota // typing a URL
	subsBusy                    // discovering, checking or removing
	subsPick                    // choosing among a page's feeds
	subsConfirm                 // "remove X?"
)

// subsPane is the overlay of "a" and "D".
type subsPane struct {
	paneBase
	subs   Subscriptions
	mode   subsMode
	input  textinput.Model
	cands  []feed.Candidate
	cursor int
	target store.Feed // the feed D asks about
	busy   string     // what is under way
	err    string     // the last failure, shown until the next try
	seq    int        // replies of older requests are dropped
}

func newSubsPane(b paneBase, s Subscriptions) subsPane {
	ti := textinput.New()
	ti.Prompt = "URL: "
	ti.Placeholder = "a feed, or any page that links to one"
	ti.CharLimit = 2048
	ti.Cursor.SetMode(cursor.CursorStatic)
	return subsPane{paneBase: b, subs: s, input: ti}
}

// SetSize gives the overlay the body of the screen.
func (p *subsPane) SetSize(w, h int) {
	p.width, p.height = w, h
	p.input.Width = max(10, w-len(p.input.Prompt)-4)
}

// openAdd starts the add prompt.
func (p *subsPane) openAdd() tea.Cmd {
	p.seq++
	p.mode, p.err, p.cands, p.cursor = subsInput, "", nil, 0
	p.input.SetValue("")
	return p.input.Focus()
}

// openRemove asks whether to remove f.
func (p *subsPane) openRemove(f store.Feed) {
	p.seq++
	p.mode, p.err, p.target = subsConfirm, "", f
	p.input.Blur()
}

// Update handles the overlay's keys and the replies of its requests.
func (p subsPane) Update(msg tea.Msg) (subsPane, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return p.key(msg)
	case discoveredMsg:
		if msg.seq != p.seq {
			return p, nil
		}
		switch {
		case msg.err != nil:
			p.fail(msg.err)
		case len(msg.cands) == 1:
			return p, p.add(msg.cands[0])
		default:
			p.mode, p.cands, p.cursor = subsPick, msg.cands, 0
		}
	case feedAddedMsg:
		if msg.seq != p.seq {
			return p, nil
		}
		if msg.err != nil {
			p.fail(msg.err)
			return p, nil
		}
		p.tell(closeOverlayMsg{})
		added := store.Feed{URL: msg.url}
		if msg.title != msg.url { // a feed without a title is named by its URL
			added.Title = msg.title
		}
		p.status(statusOK, "added %s · %s — refreshing it", feedName(added), plural(msg.items, "item", "items"))
		p.tell(subsChangedMsg{added: msg.url})
	case feedRemovedMsg:
		if msg.seq != p.seq {
			return p, nil
		}
		if msg.err != nil {
			p.fail(msg.err)
			return p, nil
		}
		name := feedName(p.target) // as the chooser showed it
		p.target = store.Feed{}
		p.tell(closeOverlayMsg{})
		p.status(statusOK, "removed %s (its articles stay in the cache)", name)
		p.tell(subsChangedMsg{removed: msg.url})
	}
	return p, nil
}

// fail shows err in the overlay and lets the user try again.
func (p *subsPane) fail(err error) {
	p.err = feed.CleanText(err.Error())
	switch p.mode {
	case subsBusy:
		if p.target.URL != "" {
			p.mode = subsConfirm
		} else {
			p.mode = subsInput
		}
	}
	if p.mode == subsInput {
		p.input.Focus()
	}
}

func (p subsPane) key(msg tea.KeyMsg) (subsPane, tea.Cmd) {
	if msg.Type == tea.KeyEsc {
		p.seq++ // a reply still on its way is dropped
		p.target = store.Feed{}
		p.input.Blur()
		p.tell(closeOverlayMsg{})
		return p, nil
	}
	switch p.mode {
	case subsInput:
		if msg.Type == tea.KeyEnter {
			u := strings.TrimSpace(p.input.Value())
			if u == "" {
				return p, nil
			}
			p.seq++
			p.mode, p.err, p.busy = subsBusy, "", "looking for feeds at "+feed.DisplayURL(u)+" …"
			p.input.Blur()
			return p, discoverCmd(p.subs, u, p.seq)
		}
		var cmd tea.Cmd
		p.input, cmd = p.input.Update(msg)
		if v := p.input.Value(); feed.EscapeHidden(v) != v {
			// A typed or pasted bidi control or invisible is shown encoded,
			// the cursor staying after what was before it.
			before := feed.EscapeHidden(string([]rune(v)[:p.input.Position()]))
			p.input.SetValue(feed.EscapeHidden(v))
			p.input.SetCursor(utf8.RuneCountInString(before))
		}
		return p, cmd
	case subsPick:
		switch {
		case key.Matches(msg, p.keys.Up):
			p.cursor = max(0, p.cursor-1)
		case key.Matches(msg, p.keys.Down):
			p.cursor = min(len(p.cands)-1, p.cursor+1)
		case msg.Type == tea.KeyEnter:
			return p, p.add(p.cands[p.cursor])
		case msg.Type == tea.KeyRunes && len(msg.Runes) == 1 && msg.Runes[0] >= '1' && msg.Runes[0] <= '9':
			if i := int(msg.Runes[0] - '1'); i < len(p.cands) {
				return p, p.add(p.cands[i])
			}
		}
	case subsConfirm:
		switch msg.String() {
		case "y", "Y", "enter":
			p.seq++
			p.mode, p.err, p.busy = subsBusy, "", "removing "+feedName(p.target)+" …"
			return p, removeFeedCmd(p.subs, p.target.URL, p.seq)
		case "n", "N", "q":
			p.seq++
			p.target = store.Feed{}
			p.tell(closeOverlayMsg{})
		}
	}
	return p, nil
}

// add checks and adds c.
func (p *subsPane) add(c feed.Candidate) tea.Cmd {
	p.seq++
	p.mode, p.err, p.busy = subsBusy, "", "checking "+feed.DisplayURL(c.URL)+" …"
	return addFeedCmd(p.subs, c, p.seq)
}

// hint is the status line's hint while the overlay is on screen.
func (p subsPane) hint() string {
	switch p.mode {
	case subsPick:
		return "enter or 1-9 adds · esc cancels"
	case subsConfirm:
		return "y removes · n or esc keeps it"
	case subsBusy:
		return "esc cancels"
	}
	return "enter looks for feeds · esc cancels"
}

func (p subsPane) View() string {
	s, w := p.styles, p.width
	title := " Add a feed"
	if p.mode == subsConfirm || p.target.URL != "" {
		title = " Remove a feed"
	}
	lines := []string{ansi.Truncate(s.OverlayTitle.Render(title), w, "…"), ""}
	wrap := func(text string, style func(...string) string) {
		for _, l := range strings.Split(ansi.Wrap(text, max(10, w-2), ""), "\n") {
			lines = append(lines, " "+style(l))
		}
	}
	switch p.mode {
	case subsInput:
		lines = append(lines, " "+p.input.View(), "")
		wrap("brief looks at the page's <link rel=\"alternate\"> feeds, then at /feed, /rss.xml, /atom.xml, /index.xml and /feed.json. The feed is added to your dotfile and fetched at once.", s.Dim.Render)
	case subsBusy:
		wrap(p.busy, s.Dim.Render)
	case subsPick:
		wrap("The page names "+plural(len(p.cands), "feed", "feeds")+"; which one?", s.Title.Render)
		lines = append(lines, "")
		for i, c := range p.cands {
			label := feed.DisplayURL(c.URL)
			if t := feed.CleanText(c.Title); t != "" {
				label = t + "  " + label
			}
			row := ansi.Truncate(" "+string(rune('1'+min(i, 8)))+". "+label, w, "…")
			if i > 8 {
				row = ansi.Truncate("    "+label, w, "…")
			}
			if i == p.cursor {
				row = s.Selected.Render(row + strings.Repeat(" ", max(0, w-ansi.StringWidth(row))))
			}
			lines = append(lines, row)
		}
	case subsConfirm:
		wrap("Remove "+feedName(p.target)+" ("+feed.DisplayURL(p.target.URL)+") from the dotfile?", s.Title.Render)
		wrap("Its articles and their read/starred state stay in the cache and come back if you add it again.", s.Dim.Render)
		lines = append(lines, "", " "+s.Title.Render("y")+s.Dim.Render(" remove   ")+s.Title.Render("n")+s.Dim.Render(" keep"))
	}
	if p.err != "" {
		lines = append(lines, "")
		wrap(p.err, s.StatusError.Render)
	}
	return fill(lines, w, p.height)
}

// feedName is a feed's title, or its URL as displayed.
func feedName(f store.Feed) string {
	if t := feed.CleanText(f.Title); t != "" {
		return "“" + t + "”"
	}
	return feed.DisplayURL(f.URL)
}

// selectedFeed is the feed under the chooser's cursor, if it is one.
func (p feedsPane) selectedFeed() (store.Feed, bool) {
	c := p.selected()
	if c.kind != choiceFeed {
		return store.Feed{}, false
	}
	for _, f := range p.feeds {
		if f.ID == c.feedID {
			return f, true
		}
	}
	return store.Feed{}, false
}

// feedByURL finds a feed of the chooser by its URL.
func (p feedsPane) feedByURL(u string) (store.Feed, bool) {
	for _, f := range p.feeds {
		if f.URL == u {
			return f, true
		}
	}
	return store.Feed{}, false
}

func discoverCmd(s Subscriptions, u string, seq int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), discoverTimeout)
		defer cancel()
		cands, err := s.Discover(ctx, u)
		return discoveredMsg{seq: seq, cands: cands, err: err}
	}
}

func addFeedCmd(s Subscriptions, c feed.Candidate, seq int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), addTimeout)
		defer cancel()
		title, items, err := s.Add(ctx, c)
		return feedAddedMsg{seq: seq, url: c.URL, title: title, items: items, err: err}
	}
}

func removeFeedCmd(s Subscriptions, u string, seq int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		title, err := s.Remove(ctx, u)
		return feedRemovedMsg{seq: seq, url: u, title: title, err: err}
	}
}

// watchTick asks for the next look at the dotfile.
func watchTick(d time.Duration) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return watchTickMsg{} })
}

// watchEvery is how often the dotfile is looked at; <= 0: never.
func (o Options) watchEvery() time.Duration {
	if o.WatchEvery == 0 {
		return watchEvery
	}
	return o.WatchEvery
}

// reloadDotfile looks at the dotfile.
func reloadDotfile(s Subscriptions) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		changed, err := s.Reload(ctx)
		return dotfileReloadedMsg{changed: changed, err: err}
	}
}

// discoveredMsg: the feeds behind a URL were looked for.
type discoveredMsg struct {
	seq   int
	cands []feed.Candidate
	err   error
}

// feedAddedMsg: a feed was checked and added to the dotfile (or not: err).
type feedAddedMsg struct {
	seq        int
	url, title string
	items      int
	err        error
}

// feedRemovedMsg: a feed was taken out of the dotfile (or not: err).
type feedRemovedMsg struct {
	seq        int
	url, title string
	err        error
}

// subsChangedMsg: the feed list changed through the overlay; added is the
// URL of a new feed to refresh at once.
type subsChangedMsg struct{ added, removed string }

// watchTickMsg: time for the next look at the dotfile.
type watchTickMsg struct{}

// dotfileReloadedMsg: the dotfile was looked at.
type dotfileReloadedMsg struct {
	changed bool
	err     error
}

// handleSubs is the root's part of the subscriptions: the watch on the
// dotfile, and the chooser and refresh after a feed was added or removed.
func (m *Model) handleSubs(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case watchTickMsg:
		next := tea.Cmd(nil)
		if m.watchEvery > 0 {
			next = watchTick(m.watchEvery)
		}
		return tea.Batch(reloadDotfile(m.subs.subs), next)
	case dotfileReloadedMsg:
		switch {
		case msg.err != nil:
			m.setError("%v", msg.err)
		case msg.changed:
			m.setStatus(statusInfo, "the dotfile changed: feeds reloaded")
			m.refreshNew = m.fetcher != nil
			return tea.Batch(m.feeds.load(), m.list.reload())
		}
	case subsChangedMsg:
		m.pendingAdd = msg.added
		if f, ok := m.feeds.feedByURL(msg.removed); ok && m.list.Filter().FeedID == f.ID {
			return tea.Batch(m.feeds.load(), emit(choiceMsg{c: choice{kind: choiceAll, label: "All"}}))
		}
		return tea.Batch(m.feeds.load(), m.list.reload())
	case feedsLoadedMsg:
		if msg.err != nil || msg.seq != m.feeds.seq {
			return nil // only the latest load was asked for after the change
		}
		var ids []int64
		for _, f := range msg.feeds {
			// A feed just added here, or one added in an editor that was
			// never fetched, is fetched at once.
			if f.URL == m.pendingAdd || (m.refreshNew && f.LastFetched.IsZero() && f.LastErrorAt.IsZero()) {
				ids = append(ids, f.ID)
			}
		}
		m.pendingAdd, m.refreshNew = "", false
		if len(ids) > 0 {
			return m.startRefresh(ids)
		}
	}
	return nil
}
