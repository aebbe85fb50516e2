package ui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key brief answers to. It implements help.KeyMap, so the help
// view is generated from it; bindings that cannot fire in the current state
// are disabled and disappear from the help.
type KeyMap struct {
	Up       key.Binding
	Down     key.Binding
	Top      key.Binding
	Bottom   key.Binding
	PageDown key.Binding
	PageUp   key.Binding
	Open     key.Binding
	Back     key.Binding
	NextPane key.Binding
	PrevPane key.Binding

	ToggleRead  key.Binding
	MarkAllRead key.Binding
	Star        key.Binding
	OpenBrowser key.Binding
	Refresh     key.Binding
	RefreshAll  key.Binding
	Search      key.Binding
	Errors      key.Binding
	Help        key.Binding
	Quit        key.Binding

	NextLink       key.Binding
	PrevLink       key.Binding
	Follow         key.Binding
	FollowReadAlso key.Binding
	FollowNumber   key.Binding
	HistoryBack    key.Binding
	HistoryForward key.Binding
	Backlinks      key.Binding

	AddFeed      key.Binding
	RemoveFeed   key.Binding
	NextArticle  key.Binding
	PrevArticle  key.Binding
	NextUnread   key.Binding
	HalfPageDown key.Binding
	HalfPageUp   key.Binding
	Undo         key.Binding
	Sort         key.Binding
	HideRead     key.Binding
	CopyURL      key.Binding
}

// DefaultKeyMap returns the keys of issue 2 and issue 4.
func DefaultKeyMap() KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Up:       b("↑/k", "up", "up", "k"),
		Down:     b("↓/j", "down", "down", "j"),
		Top:      b("g", "top", "g", "home"),
		Bottom:   b("G", "bottom", "G", "end"),
		PageDown: b("space/pgdn", "page down", " ", "pgdown"),
		PageUp:   b("pgup", "page up", "pgup"),
		Open:     b("enter/l/→", "open", "enter", "l", "right"),
		Back:     b("esc/h/←", "back", "esc", "h", "left"),
		NextPane: b("tab", "next pane", "tab"),
		PrevPane: b("shift+tab", "prev pane", "shift+tab"),

		ToggleRead:  b("m", "toggle read", "m"),
		MarkAllRead: b("M", "mark all read", "M"),
		Star:        b("s", "star", "s"),
		OpenBrowser: b("o", "open in browser", "o"),
		Refresh:     b("r", "refresh feed", "r"),
		RefreshAll:  b("R", "refresh all", "R"),
		Search:      b("/", "search", "/"),
		Errors:      b("e", "errors", "e"),
		Help:        b("?", "help", "?"),
		Quit:        b("q", "quit", "q", "ctrl+c"),

		NextLink:       b("tab", "next link", "tab"),
		PrevLink:       b("shift+tab", "prev link", "shift+tab"),
		Follow:         b("enter", "follow link", "enter"),
		FollowReadAlso: b("1-9", "read-also N", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
		FollowNumber:   b("f/#", "follow number", "f", "#"),
		HistoryBack:    b("backspace/H", "history back", "backspace", "H"),
		HistoryForward: b("L", "history forward", "L"),
		Backlinks:      b("b", "linked from", "b"),

		AddFeed:      b("a", "add a feed", "a"),
		RemoveFeed:   b("D", "remove feed", "D"),
		NextArticle:  b("n", "next article", "n"),
		PrevArticle:  b("p", "prev article", "p"),
		NextUnread:   b("N", "next unread", "N"),
		HalfPageDown: b("ctrl+d", "half page down", "ctrl+d"),
		HalfPageUp:   b("ctrl+u", "half page up", "ctrl+u"),
		Undo:         b("u", "undo mark", "u"),
		Sort:         b("S", "sort", "S"),
		HideRead:     b("U", "hide/show read", "U"),
		CopyURL:      b("y", "copy URL", "y"),
	}
}

// keyState is what decides which bindings can fire.
type keyState struct {
	focus        pane
	articleOpen  bool // the reader shows an article
	rowSelected  bool // the list cursor is on a loaded row
	feedFilter   bool // the feed chooser cursor (or list filter) names feeds
	linkSelected bool
	hasLinks     bool
	readAlso     bool
	backlinks    bool
	canBack      bool
	canForward   bool
	canRefresh   bool
	canBrowse    bool // o has an http(s) link to open in the focused pane
	listShown    bool // the list has loaded (M marks what it shows)
	canSubs      bool // the dotfile can be edited from the reader
	feedSelected bool // the chooser's cursor is on a feed
	canUndo      bool // a mark action can be undone
}

// sync enables the bindings that can fire in st and disables the rest.
func (k *KeyMap) sync(st keyState) {
	list, reader, feeds := st.focus == paneList, st.focus == paneReader, st.focus == paneFeeds
	k.Open.SetEnabled(!reader)
	k.Back.SetEnabled(reader || list)
	// In the reader tab selects links; an article without links leaves it
	// to switch panes.
	k.NextPane.SetEnabled(!reader || !st.hasLinks)
	k.PrevPane.SetEnabled(!reader || !st.hasLinks)
	k.ToggleRead.SetEnabled((list && st.rowSelected) || (reader && st.articleOpen))
	k.Star.SetEnabled((list && st.rowSelected) || (reader && st.articleOpen))
	// In the chooser M marks the highlighted entry's articles; elsewhere
	// the list's (also from the reader, beside or behind which it stays).
	k.MarkAllRead.SetEnabled(feeds || st.listShown)
	k.OpenBrowser.SetEnabled(st.canBrowse && ((list && st.rowSelected) || (reader && st.articleOpen)))
	k.Refresh.SetEnabled(st.canRefresh && st.feedFilter)
	k.RefreshAll.SetEnabled(st.canRefresh)

	k.NextLink.SetEnabled(reader && st.hasLinks)
	k.PrevLink.SetEnabled(reader && st.hasLinks)
	k.Follow.SetEnabled(reader && st.linkSelected)
	k.FollowReadAlso.SetEnabled(reader && st.readAlso)
	k.FollowNumber.SetEnabled(reader && st.hasLinks)
	k.HistoryBack.SetEnabled(st.canBack)
	k.HistoryForward.SetEnabled(st.canForward)
	k.Backlinks.SetEnabled(reader && st.backlinks)
	k.AddFeed.SetEnabled(st.canSubs)
	k.RemoveFeed.SetEnabled(st.canSubs && feeds && st.feedSelected)

	k.NextArticle.SetEnabled(reader && st.articleOpen)
	k.PrevArticle.SetEnabled(reader && st.articleOpen)
	k.NextUnread.SetEnabled(reader || list)
	k.HalfPageDown.SetEnabled(reader || list)
	k.HalfPageUp.SetEnabled(reader || list)
	k.Undo.SetEnabled(st.canUndo)
	k.Sort.SetEnabled(st.listShown)
	k.HideRead.SetEnabled(st.listShown)
	k.CopyURL.SetEnabled(st.canBrowse && ((list && st.rowSelected) || (reader && st.articleOpen)))
}

// ShortHelp is the one-line help of the status bar.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Help, k.Open, k.Follow, k.NextLink, k.Back, k.RefreshAll, k.Quit}
}

// FullHelp is the help view, in three columns: moving, articles, links.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.PageDown, k.PageUp, k.HalfPageDown, k.HalfPageUp, k.Open, k.Back, k.NextPane, k.PrevPane},
		{k.NextArticle, k.PrevArticle, k.NextUnread, k.ToggleRead, k.MarkAllRead, k.Star, k.Undo, k.Sort, k.HideRead, k.OpenBrowser, k.CopyURL},
		{k.NextLink, k.PrevLink, k.Follow, k.FollowReadAlso, k.FollowNumber, k.HistoryBack, k.HistoryForward, k.Backlinks},
		{k.Refresh, k.RefreshAll, k.Search, k.AddFeed, k.RemoveFeed, k.Errors, k.Help, k.Quit},
	}
}
