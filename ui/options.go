// Package ui is brief's terminal interface: a bubbletea program with a feed
// chooser, a paged article list and a reader pane that renders articles with
// glamour, numbers their links and follows them (from the cache, by title or
// in reader mode) with a browser-like history. It never does I/O in Update:
// every store call, network request and render runs in a tea.Cmd.
package ui

import (
	"context"
	"log/slog"
	osexec "os/exec"
	"time"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/query"
	"github.com/brief-reader/brief/store"
)

// Store is the part of *store.Store the UI uses: every pane's store
// interface, and the refresh and mark-all-read the root starts.
type Store interface {
	feedsStore
	listStore
	readerStore
	errorsStore
	MarkRead(ctx context.Context, f store.Filter) (int64, error)
	UnreadIDs(ctx context.Context, f store.Filter) ([]int64, error)
	SetReadIDs(ctx context.Context, ids []int64, read bool) (int64, error)
	Refresh(ctx context.Context, f store.Fetcher, feedIDs []int64, progress func(store.Progress)) (store.Summary, error)
}

// feedsStore is what the feed chooser reads.
type feedsStore interface {
	Feeds(ctx context.Context) ([]store.Feed, error)
	Counts(ctx context.Context) (store.Counts, error)
	UnreadCounts(ctx context.Context, qs []*store.Query) ([]int, error)
}

// markStore writes an article's read and starred states.
type markStore interface {
	SetRead(ctx context.Context, id int64, read bool) error
	SetStarred(ctx context.Context, id int64, starred bool) error
}

// listStore is what the article list reads and writes.
type listStore interface {
	markStore
	Counts(ctx context.Context) (store.Counts, error)
	Window(ctx context.Context, f store.Filter, start, limit, total int, anchors ...store.Anchor) ([]store.ArticleRow, error)
	CountArticles(ctx context.Context, f store.Filter) (int, error)
	Compile(ctx context.Context, n query.Node) (*store.Query, error)
}

// readerStore is what the reader reads and writes, links included.
type readerStore interface {
	markStore
	Article(ctx context.Context, id int64) (store.Article, error)
	ArticleByURL(ctx context.Context, rawURL string) (store.ArticleRow, error)
	Targets(ctx context.Context, id int64, links []feed.Link) (map[int]store.LinkTarget, error)
	SavePage(ctx context.Context, p feed.Page, requestedURL string, from int64) (store.ArticleRow, error)
	Backlinks(ctx context.Context, id int64) ([]store.ArticleRow, error)
}

// errorsStore is what the errors view reads.
type errorsStore interface {
	Errors(ctx context.Context) ([]store.FeedError, error)
}

// Fetcher is the network side the UI uses: *feed.Client satisfies it.
type Fetcher interface {
	store.Fetcher
	FetchPage(ctx context.Context, rawURL string) (feed.Page, error)
}

// Options configure the UI. Store is required; everything else has a usable
// zero value.
type Options struct {
	Store           Store
	Client          *feed.Client  // for refreshes and reader-mode pages; nil: offline
	RefreshOnStart  bool          // refresh every feed when the program starts
	RefreshInterval time.Duration // refresh every feed this often while running; 0: off
	Dark            bool          // dark terminal background (decided by main before the program starts)
	NoColor         bool          // NO_COLOR: no colours, glamour "notty"
	GlamourStyle    string        // "dark" | "light" | "notty" | path to a JSON style; "": from Dark/NoColor
	OpenURL         func(url string) error
	// TerminalBrowser, when set, is the command of a browser that runs in
	// the terminal (w3m, lynx, elinks): o hands it the terminal until it
	// exits, instead of calling OpenURL.
	TerminalBrowser func(url string) (*osexec.Cmd, error)
	// Copy puts text on the clipboard (y); nil: y says it cannot.
	Copy func(text string) error
	// View is the list's sort and hiding of read articles at start;
	// SaveView, when set, keeps a changed one for the next run.
	View     View
	SaveView func(View) error
	// Keys are the dotfile's bindings: action name (see Actions) to keys.
	// New ignores what CheckKeys would refuse; main checks them first.
	Keys map[string][]string

	// Fetcher overrides Client when set (tests, or a client wrapped by main).
	Fetcher Fetcher
	// NoHyperlinks turns off OSC 8 hyperlinks on link markers (they are also
	// off with NoColor).
	NoHyperlinks bool
	// Now is the clock for relative dates; nil: time.Now.
	Now func() time.Time
	// Logger receives what the UI logs (render errors); nil: nothing is logged.
	Logger *slog.Logger
	// Subs edits and watches the dotfile (a, D, and following an editor's
	// saves); nil turns them off.
	Subs Subscriptions
	// WatchEvery is how often the dotfile is looked at (0: every 2s; < 0:
	// never, for tests that run every command to completion).
	WatchEvery time.Duration
	// Views are the dotfile's saved views, listed in the chooser with their
	// unread counts (read again with the feeds, after every refresh).
	Views []SavedView
	// KillRules tells that the dotfile has kill rules: the chooser then lists
	// "Ignored", the articles they hide.
	KillRules bool
	// Notice is shown in the status bar from the start until the first key,
	// and in the list while it is empty (e.g. where the starter dotfile was
	// written).
	Notice string
}

// SavedView is a saved view: a named query of the query language.
type SavedView struct {
	Name  string
	Query *store.Query
}

const (
	storeTimeout  = 15 * time.Second // one store call from a Cmd
	windowSize    = 200              // rows of the list loaded around the cursor
	windowMargin  = 40               // reload when the cursor comes this close to a window edge
	renderCache   = 48               // rendered articles kept
	wideLayout    = 120              // columns from which list and reader sit side by side
	sidebarLayout = 150              // columns from which the feed chooser stays beside them
)

func (o Options) fetcher() Fetcher {
	if o.Fetcher != nil {
		return o.Fetcher
	}
	if o.Client != nil {
		return o.Client
	}
	return nil
}

func (o Options) glamourStyle() string {
	switch {
	case o.NoColor:
		return "notty"
	case o.GlamourStyle != "":
		return o.GlamourStyle
	case o.Dark:
		return "dark"
	default:
		return "light"
	}
}
