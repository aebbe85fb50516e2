package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/store"
)

// listPane is the article list. It never holds more than a window of rows
// around the cursor: the store is paged with offset/limit, and the total
// comes from CountArticles. It handles its keys (moving, opening, marking),
// tells openArticleMsg and articleMarkedMsg, and follows every
// articleMarkedMsg and markedMsg in its rows.
type listPane struct {
	paneBase
	store listStore

	filter store.Filter
	total  int
	cursor int // absolute index in the filtered list
	offset int // absolute index of the first visible row

	start int                // absolute index of rows[0]
	rows  []store.ArticleRow // the loaded window
	seq   int                // the latest window request; older replies are dropped
	want  [2]int             // the range the latest request covers
	ready bool               // a first window arrived

	notice string // said in the empty All list (where the starter dotfile is)

	base      store.Filter    // the chooser's entry and the search; filter adds the view to it
	view      View            // the sort and whether read articles are hidden
	pending   *stepArticleMsg // a step looking past the loaded rows, resumed when they load
	searchSeq int             // the latest search; older compiled ones are dropped

	feedW      int  // the feed column's width (0: none), from the rows and the width
	feedMiddle bool // feed names are cut in the middle: their ends would read alike
}

func newListPane(b paneBase, s listStore, notice string, v View) listPane {
	l := listPane{paneBase: b, store: s, notice: notice, seq: 1, want: [2]int{0, windowSize}, view: v}
	l.filter = v.apply(l.base)
	return l
}

// Init reads the first window of the list.
func (l listPane) Init() tea.Cmd {
	return loadWindow(l.store, l.filter, 0, windowSize, true, 0, l.seq)
}

// Update handles the list's keys (when it has the focus), its mouse events,
// its windows and the marks of articles.
func (l listPane) Update(msg tea.Msg) (listPane, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return l, l.key(msg)
	case tea.MouseMsg:
		if d := wheel(msg); d != 0 {
			l.moveTo(l.cursor + 3*d)
		} else if msg.Button == tea.MouseButtonLeft {
			l.clickRow(msg.Y)
		}
		return l, l.ensureWindow()
	case windowLoadedMsg:
		if !l.apply(msg) {
			return l, nil
		}
		if msg.err != nil {
			l.pending = nil
			l.status(statusError, "reading articles: %v", msg.err)
			return l, nil
		}
		if p := l.pending; p != nil {
			l.pending = nil
			return l, l.step(*p)
		}
		return l, l.ensureWindow()
	case stepArticleMsg:
		return l, l.step(msg)
	case choiceMsg:
		f := msg.c.filter()
		f.Query, f.Search = l.base.Query, l.base.Search
		return l, l.setFilter(f)
	case searchMsg:
		return l, l.search(msg)
	case searchCompiledMsg:
		return l, l.searchCompiled(msg)
	case articleMarkedMsg:
		l.update(msg.id, func(a *store.ArticleRow) {
			if msg.starred {
				a.Starred = msg.value
			} else {
				a.Read = msg.value
			}
		})
	case markedMsg:
		if msg.err != nil { // put the row back as the store has it
			l.update(msg.id, func(a *store.ArticleRow) {
				if msg.starred {
					a.Starred = !msg.value
				} else {
					a.Read = !msg.value
				}
			})
		}
	}
	return l, nil
}

func (l *listPane) key(msg tea.KeyMsg) tea.Cmd {
	k := l.keys
	row, rowOK := l.selected()
	switch {
	case key.Matches(msg, k.Up):
		l.moveTo(l.cursor - 1)
	case key.Matches(msg, k.Down):
		l.moveTo(l.cursor + 1)
	case key.Matches(msg, k.Top):
		l.moveTo(0)
	case key.Matches(msg, k.Bottom):
		l.moveTo(l.total - 1)
	case key.Matches(msg, k.PageDown):
		l.moveTo(l.cursor + max(1, l.height-1))
	case key.Matches(msg, k.PageUp):
		l.moveTo(l.cursor - max(1, l.height-1))
	case key.Matches(msg, k.HalfPageDown):
		l.moveTo(l.cursor + max(1, l.height/2))
	case key.Matches(msg, k.HalfPageUp):
		l.moveTo(l.cursor - max(1, l.height/2))
	case key.Matches(msg, k.NextUnread):
		return l.step(stepArticleMsg{delta: 1, unread: true})
	case key.Matches(msg, k.Sort):
		return l.cycleSort()
	case key.Matches(msg, k.HideRead):
		return l.toggleRead()
	case key.Matches(msg, k.CopyURL):
		if u, _ := l.browseTarget(); u != "" {
			l.tell(copyMsg{url: u})
		}
		return nil
	case key.Matches(msg, k.Open):
		if rowOK {
			l.tell(openArticleMsg{id: row.ID, reuse: true})
		}
		return nil
	case key.Matches(msg, k.Back):
		if msg.Type == tea.KeyEsc && searchText(l.base) != "" {
			l.searchSeq++
			f := l.base
			f.Query, f.Search = "", nil
			l.status(statusInfo, "search cleared")
			return l.setFilter(f)
		}
		l.tell(focusMsg{to: paneFeeds})
	case key.Matches(msg, k.NextPane):
		l.tell(focusMsg{to: paneList, step: 1})
	case key.Matches(msg, k.PrevPane):
		l.tell(focusMsg{to: paneFeeds})
	case key.Matches(msg, k.ToggleRead):
		return markArticle(&l.paneBase, l.store, row.ID, false, !row.Read)
	case key.Matches(msg, k.Star):
		return markArticle(&l.paneBase, l.store, row.ID, true, !row.Starred)
	case keyIs(msg, k.OpenBrowser): // enabled or not: say why it does nothing
		return browse(&l.paneBase, l.browseTarget)
	}
	return l.ensureWindow()
}

// ensureWindow loads the rows around the cursor when they are not loaded.
func (l *listPane) ensureWindow() tea.Cmd {
	if !l.ready {
		return nil
	}
	start, limit, ok := l.request(false)
	if !ok {
		return nil
	}
	return loadWindowNear(l.store, l.filter, start, limit, l.total, l.anchors(), l.seq)
}

// reload re-counts and re-reads the list around the cursor, keeping the
// cursor on the same article when it is still there.
func (l *listPane) reload() tea.Cmd {
	var keep int64
	if r, ok := l.selected(); ok {
		keep = r.ID
	}
	start, limit, _ := l.request(true)
	return loadWindow(l.store, l.filter, start, limit, true, keep, l.seq)
}

// setFilter shows the articles of f (in the list's view) from the top.
func (l *listPane) setFilter(f store.Filter) tea.Cmd {
	l.base = f
	l.reset(l.view.apply(f))
	start, limit, _ := l.request(true)
	return loadWindow(l.store, l.filter, start, limit, true, 0, l.seq)
}

// Total is how many articles the list has.
func (l listPane) Total() int { return l.total }

// Filter is the filter of the articles shown (with the view's sort and
// hiding of read articles).
func (l listPane) Filter() store.Filter { return l.filter }

// destination is where the row under the cursor leads, for the status bar.
func (l listPane) destination() string {
	if r, ok := l.selected(); ok && r.URL != "" {
		return hostPath(r.URL)
	}
	return ""
}

// position is the header's "cursor/total" ("0" for a loaded empty list,
// "" before the first window).
func (l listPane) position() string {
	if l.total > 0 {
		return thousands(l.cursor+1) + "/" + thousands(l.total)
	} else if l.ready {
		return "0"
	}
	return ""
}

// refreshTargets are the feeds r refreshes from the list: its feed, else
// (outside a tag, whose feeds the chooser knows) the selected row's feed.
func (l listPane) refreshTargets() []int64 {
	if l.filter.FeedID != 0 {
		return []int64{l.filter.FeedID}
	}
	if r, ok := l.selected(); ok && r.FeedID != 0 && l.filter.Tag == "" {
		return []int64{r.FeedID}
	}
	return nil
}

// hint is the status line's hint while the list has the focus.
func (l listPane) hint() string {
	return keyOf(l.keys.Open) + " opens · " + keyOf(l.keys.Search) + " search · " + keyOf(l.keys.Help) + " help"
}

// keyState fills in what the list decides about the keys.
func (l listPane) keyState(st *keyState) {
	_, st.rowSelected = l.selected()
	st.listShown = l.ready
	if st.focus == paneList {
		u, _ := l.browseTarget()
		st.canBrowse = u != ""
	}
}

// SetSize gives the list its size.
func (l *listPane) SetSize(w, h int) {
	l.width, l.height = w, h
	l.scroll()
	l.fitFeedColumn()
}

// selected is the row under the cursor, when it is loaded.
func (l listPane) selected() (store.ArticleRow, bool) {
	i := l.cursor - l.start
	if i >= 0 && i < len(l.rows) {
		return l.rows[i], true
	}
	return store.ArticleRow{}, false
}

func (l listPane) row(i int) (store.ArticleRow, bool) {
	i -= l.start
	if i >= 0 && i < len(l.rows) {
		return l.rows[i], true
	}
	return store.ArticleRow{}, false
}

// moveTo puts the cursor on index i, clamped.
func (l *listPane) moveTo(i int) {
	l.cursor = max(0, min(i, l.total-1))
	l.scroll()
}

func (l *listPane) scroll() {
	h := max(1, l.height)
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+h {
		l.offset = l.cursor - h + 1
	}
	l.offset = max(0, min(l.offset, l.total-h))
}

// request starts a window load around the cursor and returns its bounds,
// or ok=false when the loaded (or requested) window already covers what is
// shown with some margin.
func (l *listPane) request(force bool) (start, limit int, ok bool) {
	if l.total == 0 && !force {
		return 0, 0, false
	}
	lo := max(0, min(l.offset, l.cursor)-windowMargin)
	hi := min(l.total, max(l.offset+l.height, l.cursor+1)+windowMargin)
	covered := func(a, b int) bool { return a <= lo && hi <= b }
	if !force && (covered(l.start, l.start+len(l.rows)) || covered(l.want[0], l.want[1])) {
		return 0, 0, false
	}
	start = max(0, l.cursor-windowSize/2)
	if l.total > 0 {
		start = min(start, max(0, l.total-windowSize))
	}
	l.seq++
	l.want = [2]int{start, start + windowSize}
	return start, windowSize, true
}

// apply takes a loaded window; it returns false for a stale one.
func (l *listPane) apply(msg windowLoadedMsg) bool {
	if msg.seq != l.seq {
		return false
	}
	l.want = [2]int{}
	if msg.err != nil {
		return true
	}
	l.ready = true
	if msg.total >= 0 {
		l.total = msg.total
	}
	l.start, l.rows = msg.start, msg.rows
	if l.total < l.start+len(l.rows) { // the count is older than the rows
		l.total = l.start + len(l.rows)
	}
	if msg.keepID != 0 {
		for i, r := range l.rows {
			if r.ID == msg.keepID {
				l.cursor = l.start + i
				break
			}
		}
	}
	l.moveTo(l.cursor)
	l.fitFeedColumn()
	return true
}

// reset starts over on a new filter.
func (l *listPane) reset(f store.Filter) {
	l.filter = f
	l.cursor, l.offset, l.start, l.rows, l.total = 0, 0, 0, nil, 0
	l.pending = nil
}

// update changes a loaded row in place.
func (l *listPane) update(id int64, fn func(*store.ArticleRow)) {
	for i := range l.rows {
		if l.rows[i].ID == id {
			fn(&l.rows[i])
		}
	}
}

func (l *listPane) clickRow(y int) {
	if i := l.offset + y; i < l.total {
		l.moveTo(i)
	}
}
