package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/query"
	"github.com/brief-reader/brief/store"
)

// feedsLoadedMsg: the feed chooser's feeds and the header counts were read.
type feedsLoadedMsg struct {
	seq      int
	feeds    []store.Feed
	counts   store.Counts
	accounts []store.Account // the sync accounts' state, when the store has accounts
	// viewUnread are the unread counts of the saved views, in their order.
	viewUnread []int
	err        error
}

// windowLoadedMsg: a window of the article list was read.
type windowLoadedMsg struct {
	seq    int
	filter store.Filter
	start  int
	rows   []store.ArticleRow
	total  int   // -1: not counted with this window
	keepID int64 // put the cursor back on this article if it is in the window
	err    error
}

// articleLoadedMsg: an article was read (and marked read when asked); its
// link targets and backlinks follow in a linksLoadedMsg.
type articleLoadedMsg struct {
	seq        int
	id         int64
	article    store.Article
	markedRead bool
	err        error
	warn       error // a non-fatal failure (marking it read)
}

// linksLoadedMsg: the cached targets of an article's links and the articles
// linking to it were read (when it was opened, or after a refresh).
type linksLoadedMsg struct {
	seq       int
	id        int64
	targets   map[int]store.LinkTarget
	backlinks []store.ArticleRow
	err       error
}

// articleRenderedMsg: an article was rendered for a width and a style.
type articleRenderedMsg struct {
	key renderKey
	doc *renderedDoc
}

// markedMsg: an article's read or starred state was written.
type markedMsg struct {
	id      int64
	starred bool // false: the read state
	value   bool
	err     error
}

// markedAllMsg: every article of a filter was marked read; ids are the
// ones that were unread (for undo).
type markedAllMsg struct {
	n   int64
	ids []int64
	err error
}

// refreshRequestedMsg: a refresh should start (from Init or the interval tick).
type refreshRequestedMsg struct {
	feedIDs []int64
}

// refreshTickMsg: the refresh interval elapsed.
type refreshTickMsg struct{ seq int }

// refreshProgressMsg: the store reported refresh progress.
type refreshProgressMsg struct {
	seq int
	p   store.Progress
}

// refreshDoneMsg: a refresh ended.
type refreshDoneMsg struct {
	seq     int
	summary store.Summary
	err     error
}

// errorsLoadedMsg: the failing feeds were read for the errors view.
type errorsLoadedMsg struct {
	seq  int
	errs []store.FeedError
	err  error
}

// howFollowed says how a followed link was resolved.
type howFollowed int

const (
	fromCache howFollowed = iota
	byTitle
	fetchedPage
	byTitleElsewhere // a title-only link matched to another site's article (same headline)
)

// linkResolvedMsg: a followed link resolved to a cached article.
type linkResolvedMsg struct {
	seq  int
	from int64
	link feed.Link
	row  store.ArticleRow
	how  howFollowed
}

// linkNeedsFetchMsg: a followed link is not cached; its page must be fetched.
type linkNeedsFetchMsg struct {
	seq  int
	from int64
	link feed.Link
	url  string // checked by feed.CheckURL
}

// linkFailedMsg: a followed link could not be resolved or fetched.
type linkFailedMsg struct {
	seq    int
	from   int64
	link   feed.Link
	err    error
	reason string // why, in a few words, when it is about the link itself (kept for the session); "" otherwise
}

// browserOpenedMsg: the browser was started (or failed to start) for url.
type browserOpenedMsg struct {
	url string
	err error
}

// The messages below are told by one pane to the others (see paneBase):
// the root gives each to every pane and to itself within the same Update.

// statusMsg: something to say in the status line.
type statusMsg struct {
	kind statusKind
	text string
}

// focusMsg: the focus should move to a pane, or step through the panes
// (feeds → list → reader, the reader only when an article is open).
type focusMsg struct {
	to   pane
	step int // ±1: relative to the focus; 0: to
}

// openArticleMsg: the reader should show article id. reuse: when it shows
// it already (without an error), only the focus moves there.
type openArticleMsg struct {
	id    int64
	reuse bool
}

// articleOpenedMsg: the reader started showing article id (it takes the
// focus; an overlay over it closes).
type articleOpenedMsg struct{ id int64 }

// articleMarkedMsg: an article's read (or starred) state changed. saved:
// the store has it already (opening an article marks it read); else the
// write is under way and a markedMsg follows.
type articleMarkedMsg struct {
	id      int64
	starred bool // false: the read state
	value   bool
	saved   bool
	undoing bool // u puts it back: not itself an action to undo
}

// choiceMsg: the feed chooser's entry c should be shown in the list.
type choiceMsg struct{ c choice }

// searchMsg: the list should show the articles matching query, a query of
// the query language parsed as node (nil: no search).
type searchMsg struct {
	query string
	node  query.Node
}

// searchCompiledMsg: a search in the query language was compiled for the
// store (seq: the list's search it was made for).
type searchCompiledMsg struct {
	seq  int
	text string
	q    *store.Query
	err  error
}

// searchFailedMsg: the store cannot run the search text (an account: term
// with no accounts): the prompt opens again with the error at its column.
type searchFailedMsg struct {
	text string
	err  *query.Error
}

// pickMsg: the picker should offer rows under title.
type pickMsg struct {
	title string
	rows  []store.ArticleRow
}

// promptNumberMsg: the "f N enter" prompt should open.
type promptNumberMsg struct{}

// followNumberMsg: the reader should follow link n.
type followNumberMsg struct{ n int }

// closeOverlayMsg: the overlay on screen (help, errors, picker) closes.
type closeOverlayMsg struct{}

// stepArticleMsg: the list should move delta rows (to the next unread one
// that way, with unread) and, with open, show the article there.
type stepArticleMsg struct {
	delta  int
	unread bool
	open   bool
	loads  int // windows read for it so far
}

// openURLMsg: url should open in the browser (o).
type openURLMsg struct{ url string }

// copyMsg: url should go to the clipboard (y).
type copyMsg struct{ url string }

// copiedMsg: the clipboard write for url ended.
type copiedMsg struct {
	url string
	err error
}

// confirmMsg: the confirmation prompt should ask question; y tells yes.
type confirmMsg struct {
	question string
	yes      tea.Msg
}

// markAllMsg: every article of filter should be marked read (told once
// confirmed); label names the list in the status line.
type markAllMsg struct {
	filter store.Filter
	label  string
	n      int
	unread bool // n counts unread articles (else every article shown)
}

// undoneMsg: an undone mark-all was written.
type undoneMsg struct {
	n   int64
	err error
}

// viewChangedMsg: the list's sort or its hiding of read articles changed
// (the root saves it).
type viewChangedMsg struct{ view View }
