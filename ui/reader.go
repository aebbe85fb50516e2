package ui

import (
	"log/slog"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
)

// readerPane shows one article: its rendered document in a viewport and
// the selected link; its navigator follows the links and keeps the
// history. It loads and renders in Cmds (the renders cached by article,
// width and link state), and tells articleOpenedMsg, articleMarkedMsg and
// pickMsg.
type readerPane struct {
	paneBase
	store        readerStore
	fetcher      Fetcher // nil: offline
	glamourStyle string
	hyperlinks   bool
	log          *slog.Logger // nil: no logging
	cache        *docCache
	renders      *renderJobs // renders in progress: de-duplicated, superseded ones cancelled

	id         int64 // the article shown or being loaded; 0: none
	article    store.Article
	loaded     bool                     // article holds id
	targets    map[int]store.LinkTarget // by Link.N; read after the article (linksKnown)
	backlinks  []store.ArticleRow
	linksKnown bool         // targets and backlinks were read for this article
	doc        *renderedDoc // the render for the current width, when it arrived
	vp         viewport.Model
	selected   int // link N; 0: none
	seq        int // the latest load request
	restore    *histEntry
	err        error // the load failed
	nav        navigator
}

func newReaderPane(b paneBase, s readerStore, f Fetcher, glamourStyle string, hyperlinks bool, log *slog.Logger) readerPane {
	vp := viewport.New(0, 0)
	vp.MouseWheelEnabled = false // the root routes wheel events
	return readerPane{paneBase: b, store: s, fetcher: f, glamourStyle: glamourStyle,
		hyperlinks: hyperlinks, log: log, cache: newDocCache(renderCache), renders: newRenderJobs(), vp: vp}
}

// SetSize gives the reader its size; render re-renders for a new width.
func (r *readerPane) SetSize(w, h int) {
	r.width, r.height = w, h
	r.vp.Width, r.vp.Height = w, h
	r.vp.SetYOffset(r.vp.YOffset) // clamp
}

// Update handles the reader's keys (when it has the focus, and the history
// keys from anywhere), the wheel, the article and its renders, marks and
// the replies of followed links.
func (r readerPane) Update(msg tea.Msg) (readerPane, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return r, r.key(msg)
	case tea.MouseMsg:
		switch wheel(msg) {
		case -1:
			r.vp.ScrollUp(3)
		case 1:
			r.vp.ScrollDown(3)
		}
		r.dropHiddenLink()
	case openArticleMsg:
		if msg.reuse && r.id == msg.id && r.err == nil {
			r.tell(focusMsg{to: paneReader}) // already open: keep its position
			r.unselect()                     // but start again with no link selected
			return r, nil
		}
		return r, r.openArticle(msg.id, true, nil)
	case articleLoadedMsg:
		return r, r.articleLoaded(msg)
	case linksLoadedMsg:
		return r, r.linksLoaded(msg)
	case articleRenderedMsg:
		return r, r.articleRendered(msg)
	case articleMarkedMsg:
		if r.loaded && r.id == msg.id {
			if msg.starred {
				r.article.Starred = msg.value
			} else {
				r.article.Read = msg.value
			}
		}
		if msg.starred {
			return r, r.render()
		}
	case markedMsg:
		if msg.err == nil {
			return r, nil
		}
		if r.loaded && r.id == msg.id { // put it back as the store has it
			if msg.starred {
				r.article.Starred = !msg.value
			} else {
				r.article.Read = !msg.value
			}
		}
		return r, r.render()
	case followNumberMsg:
		if l, ok := r.link(msg.n); ok {
			return r, r.followLink(l)
		}
		r.status(statusError, "no link [%d]", msg.n)
	case linkResolvedMsg:
		return r, r.linkResolved(msg)
	case linkNeedsFetchMsg:
		return r, r.linkNeedsFetch(msg)
	case linkFailedMsg:
		return r, r.linkFailed(msg)
	}
	return r, nil
}

func (r *readerPane) key(msg tea.KeyMsg) tea.Cmd {
	k := r.keys
	switch {
	case key.Matches(msg, k.HistoryBack):
		return r.historyStep(false)
	case key.Matches(msg, k.HistoryForward):
		return r.historyStep(true)
	case key.Matches(msg, k.Up, k.Down, k.Top, k.Bottom, k.PageDown, k.PageUp, k.HalfPageDown, k.HalfPageUp):
		return r.scroll(msg)
	case key.Matches(msg, k.NextArticle):
		r.tell(stepArticleMsg{delta: 1, open: true})
	case key.Matches(msg, k.PrevArticle):
		r.tell(stepArticleMsg{delta: -1, open: true})
	case key.Matches(msg, k.NextUnread):
		r.tell(stepArticleMsg{delta: 1, unread: true, open: true})
	case key.Matches(msg, k.CopyURL):
		if u, _ := r.browseTarget(); u != "" {
			r.tell(copyMsg{url: u})
		}
	case key.Matches(msg, k.Back):
		r.tell(focusMsg{to: paneList})
	case key.Matches(msg, k.NextLink):
		r.cycle(1)
	case key.Matches(msg, k.PrevLink):
		r.cycle(-1)
	case key.Matches(msg, k.NextPane): // only without links: feeds → list → reader → feeds
		r.tell(focusMsg{to: paneFeeds})
	case key.Matches(msg, k.PrevPane):
		r.tell(focusMsg{to: paneList})
	case key.Matches(msg, k.Follow):
		if l, ok := r.link(r.selected); ok {
			return r.followLink(l)
		}
	case key.Matches(msg, k.FollowReadAlso):
		n, _ := strconv.Atoi(msg.String()) // the binding only has the keys 1-9
		if l, ok := r.readAlso(n); ok {
			return r.followLink(l)
		}
		r.status(statusInfo, "no “Read also” link %d", n)
	case key.Matches(msg, k.FollowNumber):
		r.tell(promptNumberMsg{})
	case key.Matches(msg, k.Backlinks):
		if n := len(r.backlinks); n > 0 {
			r.tell(pickMsg{title: "Linked from " + plural(n, "article", "articles"), rows: r.backlinks})
		}
	case key.Matches(msg, k.ToggleRead):
		return markArticle(&r.paneBase, r.store, r.id, false, !r.article.Read)
	case key.Matches(msg, k.Star):
		return markArticle(&r.paneBase, r.store, r.id, true, !r.article.Starred)
	case keyIs(msg, k.OpenBrowser): // enabled or not: say why it does nothing
		return browse(&r.paneBase, r.browseTarget)
	}
	return nil
}

// scroll moves the view for one of the moving keys. Space at the end of
// the article goes on to the next unread one.
func (r *readerPane) scroll(msg tea.KeyMsg) tea.Cmd {
	k := r.keys
	switch {
	case key.Matches(msg, k.Up):
		r.vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		r.vp.ScrollDown(1)
	case key.Matches(msg, k.Top):
		r.vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		r.vp.GotoBottom()
	case key.Matches(msg, k.PageDown):
		if msg.String() == " " && r.doc != nil && r.vp.AtBottom() {
			r.tell(stepArticleMsg{delta: 1, unread: true, open: true})
			return nil
		}
		r.vp.PageDown()
	case key.Matches(msg, k.PageUp):
		r.vp.PageUp()
	case key.Matches(msg, k.HalfPageDown):
		r.vp.HalfPageDown()
	case key.Matches(msg, k.HalfPageUp):
		r.vp.HalfPageUp()
	}
	r.dropHiddenLink()
	return nil
}

// openArticle shows article id and loads it (marking it read); push
// records the article shown now in the history first, restore puts the
// view back where it was left.
func (r *readerPane) openArticle(id int64, push bool, restore *histEntry) tea.Cmd {
	r.nav.visit(r.entry(), push && r.id != 0 && r.id != id)
	r.seq++
	r.id, r.loaded, r.doc, r.selected, r.err, r.restore = id, false, nil, 0, nil, restore
	r.targets, r.backlinks, r.linksKnown = nil, nil, false
	r.vp.SetContent("")
	r.vp.GotoTop()
	r.tell(articleOpenedMsg{id: id})
	return loadArticle(r.store, id, true, r.seq)
}

func (r *readerPane) articleLoaded(msg articleLoadedMsg) tea.Cmd {
	if msg.seq != r.seq || msg.id != r.id {
		return nil
	}
	if msg.err != nil {
		r.err = msg.err
		r.status(statusError, "opening article: %v", msg.err)
		return nil
	}
	r.article, r.loaded = msg.article, true
	if msg.markedRead {
		r.tell(articleMarkedMsg{id: msg.id, value: true, saved: true})
	}
	if msg.warn != nil {
		r.status(statusError, "%v", msg.warn)
	}
	// The body shows now; link targets and backlinks follow.
	return tea.Batch(r.render(), loadLinks(r.store, msg.id, msg.article.Links, msg.seq))
}

// linksLoaded shows the link targets and backlinks of the article shown.
func (r *readerPane) linksLoaded(msg linksLoadedMsg) tea.Cmd {
	if msg.seq != r.seq || msg.id != r.id || !r.loaded {
		return nil
	}
	if msg.err != nil {
		r.status(statusError, "%v", msg.err)
	}
	r.targets, r.backlinks, r.linksKnown = msg.targets, msg.backlinks, true
	return r.render()
}

// reloadLinks reads again the link targets and backlinks of the article
// shown: a refresh may have brought the articles its "Read also" lines
// were waiting for.
func (r *readerPane) reloadLinks() tea.Cmd {
	if !r.loaded || r.id == 0 {
		return nil
	}
	return loadLinks(r.store, r.id, r.article.Links, r.seq)
}

func (r readerPane) renderInput() renderInput {
	return renderInput{
		article:    r.article,
		targets:    r.targets,
		linksKnown: r.linksKnown,
		failed:     r.nav.failures(r.links()),
		backlinks:  len(r.backlinks),
		width:      r.width,
		style:      r.glamourStyle,
		styles:     *r.styles,
		hyperlinks: r.hyperlinks,
	}
}

// render shows the article's render for the reader's width from the cache,
// or asks for one.
func (r *readerPane) render() tea.Cmd {
	if !r.loaded || r.width <= 0 {
		return nil
	}
	in := r.renderInput()
	k := in.key()
	if r.doc != nil && r.doc.key == k {
		return nil
	}
	if d, ok := r.cache.get(k); ok {
		r.setDoc(d)
		return nil
	}
	return r.renders.cmd(in)
}

func (r *readerPane) articleRendered(msg articleRenderedMsg) tea.Cmd {
	r.cache.put(msg.key, msg.doc)
	if !r.loaded || msg.key != r.renderInput().key() {
		return nil // stale: another article, width or link state
	}
	r.setDoc(msg.doc)
	if msg.doc.err != nil {
		r.status(statusError, "%v", msg.doc.err)
		return logCmd(r.log, "render failed", "article", r.id, "error", msg.doc.err)
	}
	return nil
}

func (r readerPane) entry() histEntry {
	return histEntry{id: r.id, y: r.vp.YOffset, link: r.selected}
}

// hasArticle reports whether an article is shown (or being loaded).
func (r readerPane) hasArticle() bool { return r.id != 0 }

// fetching is the page being fetched in reader mode, "" when none.
func (r readerPane) fetching() string { return r.nav.fetching }

// feedID is the feed of the article shown (0: none, or a page in no feed),
// and whether one is shown.
func (r readerPane) feedID() (int64, bool) { return r.article.FeedID, r.loaded }

// keyState fills in what the reader decides about the keys.
func (r readerPane) keyState(st *keyState) {
	st.articleOpen = r.loaded
	st.canBack, st.canForward = r.nav.canBack(), r.nav.canForward()
	st.hasLinks = len(r.links()) > 0
	st.readAlso = r.hasReadAlso()
	st.backlinks = len(r.backlinks) > 0
	st.linkSelected = r.selected != 0
	if st.focus == paneReader {
		u, _ := r.browseTarget()
		st.canBrowse = u != ""
	}
}

// hint is the status line's hint while the reader has the focus, naming
// the keys in force.
func (r readerPane) hint() string {
	k := r.keys
	switch {
	case r.selected != 0:
		return keyOf(k.Follow) + " follows · " + keyOf(k.OpenBrowser) + " browser"
	case len(r.links()) > 0:
		return keyOf(k.NextLink) + " selects a link · " + keyOf(k.Back) + " list · " + keyOf(k.Help) + " help"
	}
	return keyOf(k.Back) + " list · " + keyOf(k.NextPane) + " next pane · " + keyOf(k.OpenBrowser) + " browser · " + keyOf(k.Help) + " help"
}

func (r readerPane) View() string {
	s := r.styles
	switch {
	case r.id == 0:
		return fill([]string{"", s.Dim.Render("  Enter opens an article.")}, r.width, r.height)
	case r.err != nil:
		return fill([]string{"", s.ErrorText.Render("  " + feed.CleanText(r.err.Error()))}, r.width, r.height)
	case r.doc == nil:
		return fill([]string{"", s.Dim.Render("  Loading…")}, r.width, r.height)
	}
	return fill(strings.Split(r.vp.View(), "\n"), r.width, r.height)
}

// scrollPosition is how far the view is into the article, as less and vim
// say it: "all" (it fits), "top", "end", or a percentage; "" before the
// article is rendered.
func (r readerPane) scrollPosition() string {
	switch {
	case r.doc == nil || r.err != nil:
		return ""
	case r.vp.TotalLineCount() <= r.vp.Height:
		return "all"
	case r.vp.AtTop():
		return "top"
	case r.vp.AtBottom():
		return "end"
	}
	return strconv.Itoa(int(r.vp.ScrollPercent()*100)) + "%"
}
