package ui

import (
	osexec "os/exec"
	"slices"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/feed"
)

type pane int

const (
	paneFeeds pane = iota
	paneList
	paneReader
)

type overlay int

const (
	overlayNone overlay = iota
	overlayHelp
	overlayErrors
	overlayPicker
	overlaySubs
)

type statusKind int

const (
	statusInfo statusKind = iota
	statusOK
	statusError
)

type status struct {
	text string
	kind statusKind
}

// Model is brief's root bubbletea model. It owns the layout, the focus,
// the overlays, the global keys, the refresh and the status line; the panes
// own the rest and talk through messages (see paneBase).
type Model struct {
	store          Store
	fetcher        Fetcher
	refreshOnStart bool
	refreshEvery   time.Duration
	now            func() time.Time

	keys     KeyMap
	styles   *Styles
	spin     spinner.Model
	spinning bool

	width, height int
	focus         pane
	overlay       overlay

	feeds  feedsPane
	list   listPane
	reader readerPane
	errs   errorsPane
	picker pickerPane
	help   helpPane
	search searchPrompt
	num    numberPrompt
	subs   subsPane

	hasSubs    bool          // Options.Subs is set: a, D and the dotfile watch work
	watchEvery time.Duration // how often the dotfile is looked at; <= 0: never
	pendingAdd string        // URL of a feed just added, refreshed once the chooser has it
	refreshNew bool          // the dotfile changed: refresh its never-fetched feeds once the chooser has them
	confirm    confirmPrompt

	browser     func(string) error                // Options.OpenURL
	termBrowser func(string) (*osexec.Cmd, error) // Options.TerminalBrowser
	copy        func(string) error
	saveView    func(View) error
	undo        []undoAction // the mark actions u puts back, oldest first

	refresh refreshState
	tickSeq int
	status  status
	// lastStatus is the last message of the status line, kept after the
	// next key clears the line: the errors view shows it whole.
	lastStatus string
	notice     string // Options.Notice, in the status bar until the first key
}

// New returns the UI for opts. Nothing is read until the program runs Init.
func New(opts Options) Model {
	st := NewStyles(opts.Dark, opts.NoColor)
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	keys := KeyMapFor(opts.Keys)
	b := newBase(keys, &st, now)
	notice := feed.CleanText(opts.Notice)
	m := Model{
		store:          opts.Store,
		fetcher:        opts.fetcher(),
		refreshOnStart: opts.RefreshOnStart,
		refreshEvery:   opts.RefreshInterval,
		now:            now,
		keys:           keys,
		styles:         &st,
		spin:           spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(st.Spinner)),
		focus:          paneList,
		feeds:          newFeedsPane(b, opts.Store, opts.Views, opts.KillRules),
		list:           newListPane(b, opts.Store, notice, opts.View),
		reader:         newReaderPane(b, opts.Store, opts.fetcher(), opts.glamourStyle(), !opts.NoColor && !opts.NoHyperlinks, opts.Logger),
		errs:           newErrorsPane(b, opts.Store),
		picker:         pickerPane{paneBase: b},
		help:           newHelpPane(b),
		search:         newSearchPrompt(b),
		num:            numberPrompt{paneBase: b},
		subs:           newSubsPane(b, opts.Subs),
		hasSubs:        opts.Subs != nil,
		watchEvery:     opts.watchEvery(),
		confirm:        confirmPrompt{paneBase: b},
		browser:        opts.OpenURL,
		termBrowser:    opts.TerminalBrowser,
		copy:           opts.Copy,
		saveView:       opts.SaveView,
		tickSeq:        1,
		notice:         notice,
	}
	m.sync()
	return m
}

// Init loads the feeds and the first window of the list, and starts the
// refreshes the options ask for.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.feeds.Init(), m.list.Init()}
	if m.refreshOnStart {
		cmds = append(cmds, emit(refreshRequestedMsg{}))
	}
	if m.refreshEvery > 0 {
		cmds = append(cmds, refreshTick(m.refreshEvery, m.tickSeq))
	}
	if m.hasSubs && m.watchEvery > 0 {
		cmds = append(cmds, watchTick(m.watchEvery))
	}
	return tea.Batch(cmds...)
}

// Update handles one message. It never blocks: every read, write, request and
// render is returned as a tea.Cmd.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	wasBusy := m.busy()
	cmd := m.update(msg)
	m.sync()
	if !wasBusy && m.busy() && !m.spinning { // a refresh or a fetch started
		m.spinning = true
		cmd = tea.Batch(cmd, m.spin.Tick)
	}
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return m.setSize(msg.Width, msg.Height)
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste && !m.search.active {
			// Keys typed faster than the terminal is read arrive together.
			var cmds []tea.Cmd
			for _, r := range msg.Runes {
				cmds = append(cmds, m.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
				m.sync()
			}
			return tea.Batch(cmds...)
		}
		return m.handleKey(msg)
	case tea.MouseMsg:
		return m.handleMouse(msg)
	case spinner.TickMsg:
		if !m.busy() {
			m.spinning = false
			return nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return cmd
	}
	return m.broadcast(msg)
}

// broadcast gives msg, and what the panes tell while handling it, to the
// root and to every pane, in order, before Update returns.
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	queue := []tea.Msg{msg}
	for len(queue) > 0 {
		msg := queue[0]
		queue = queue[1:]
		cmds = append(cmds, m.handle(msg))
		var c [8]tea.Cmd
		m.feeds, c[0] = m.feeds.Update(msg)
		m.list, c[1] = m.list.Update(msg)
		m.reader, c[2] = m.reader.Update(msg)
		m.errs, c[3] = m.errs.Update(msg)
		m.picker, c[4] = m.picker.Update(msg)
		m.subs, c[5] = m.subs.Update(msg)
		cmds = append(cmds, c[:]...)
		queue = append(queue, m.told()...)
	}
	return tea.Batch(cmds...)
}

// told takes what the panes told.
func (m *Model) told() []tea.Msg {
	var out []tea.Msg
	for _, p := range m.panes() {
		out = append(out, p.b.take()...)
	}
	return out
}

// paneRef is a pane's base and whether the pane has the focus now.
type paneRef struct {
	b     *paneBase
	focus bool
}

// panes are every pane of the root: the one list a new pane is added to
// (with its line in broadcast, setSize and the routing of keys and views).
func (m *Model) panes() []paneRef {
	prompt := m.search.active || m.num.active || m.confirm.active
	return []paneRef{
		{&m.feeds.paneBase, m.focus == paneFeeds},
		{&m.list.paneBase, m.focus == paneList},
		{&m.reader.paneBase, m.focus == paneReader && m.overlay == overlayNone && !prompt},
		{&m.errs.paneBase, m.overlay == overlayErrors},
		{&m.picker.paneBase, m.overlay == overlayPicker},
		{&m.help.paneBase, m.overlay == overlayHelp},
		{&m.subs.paneBase, m.overlay == overlaySubs},
		{&m.search.paneBase, m.search.active},
		{&m.num.paneBase, m.num.active},
		{&m.confirm.paneBase, m.confirm.active},
	}
}

// handle is the root's part of a message: the focus, the overlays, the
// status line, the refresh.
func (m *Model) handle(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case statusMsg:
		m.setStatus(msg.kind, "%s", msg.text)
	case focusMsg:
		m.focus = m.nextFocus(msg)
	case articleOpenedMsg:
		m.focus = paneReader
		m.overlay = overlayNone
		if _, _, rw := m.layout(); m.wide() && rw != m.reader.width {
			return m.setSize(m.width, m.height) // the first article: the split changes
		}
	case choiceMsg, searchMsg:
		m.focus = paneList
	case closeOverlayMsg:
		m.overlay = overlayNone
	case pickMsg:
		m.overlay = overlayPicker
	case promptNumberMsg:
		m.num.open()
	case confirmMsg:
		m.confirm.open(msg)
	case searchFailedMsg:
		return m.search.reopen(msg.text, msg.err)
	case articleMarkedMsg:
		if msg.saved {
			return m.feeds.load()
		}
		if !msg.undoing {
			m.pushUndo(undoAction{id: msg.id, starred: msg.starred, value: msg.value})
		}
		switch {
		case msg.starred && msg.value:
			m.setStatus(statusInfo, "starred")
		case msg.starred:
			m.setStatus(statusInfo, "unstarred")
		case msg.value:
			m.setStatus(statusInfo, "marked read")
		default:
			m.setStatus(statusInfo, "marked unread")
		}
	case markedMsg:
		if msg.err != nil {
			m.setError("saving: %v", msg.err)
			return nil
		}
		return m.feeds.load()
	case markedAllMsg:
		if msg.err != nil {
			m.setError("marking read: %v", msg.err)
			return nil
		}
		m.setStatus(statusOK, "marked %s read", plural(int(msg.n), "article", "articles"))
		if len(msg.ids) > 0 {
			m.pushUndo(undoAction{ids: msg.ids})
			m.setStatus(statusOK, "marked %s read (%s undoes)", plural(int(msg.n), "article", "articles"), keyOf(m.keys.Undo))
		}
		return tea.Batch(m.feeds.load(), m.list.reload())
	case refreshRequestedMsg:
		return m.startRefresh(msg.feedIDs)
	case refreshTickMsg:
		return m.refreshTicked(msg)
	case refreshProgressMsg:
		return m.refreshProgress(msg)
	case refreshDoneMsg:
		return m.refreshDone(msg)
	case watchTickMsg, dotfileReloadedMsg, subsChangedMsg, feedsLoadedMsg:
		return m.handleSubs(msg)
	case browserOpenedMsg:
		if msg.err != nil {
			m.setError("open in browser: %v", msg.err)
		} else {
			m.setStatus(statusOK, "opened %s in the browser", hostPath(msg.url))
		}
	default:
		return m.flow(msg)
	}
	return nil
}

// nextFocus is where a focusMsg moves the focus: to its pane, or a step
// along feeds → list → reader (the reader only with an article).
func (m Model) nextFocus(msg focusMsg) pane {
	if msg.step == 0 {
		return msg.to
	}
	order := []pane{paneFeeds, paneList}
	if m.reader.hasArticle() {
		order = append(order, paneReader)
	}
	i := slices.Index(order, m.focus)
	if i < 0 {
		i = 0
	}
	return order[(i+msg.step+len(order))%len(order)]
}

// setStatus sets the status line. Messages often carry network text (an
// error naming a URL, a title), so they are cleaned like everything else.
func (m *Model) setStatus(kind statusKind, format string, args ...any) {
	m.status = status{text: feed.CleanText(sprintf(format, args...)), kind: kind}
	m.lastStatus = m.status.text
}

func (m *Model) setError(format string, args ...any) {
	m.setStatus(statusError, format, args...)
}

func (m Model) busy() bool {
	return m.refresh.running || m.reader.fetching() != ""
}

func (m *Model) setSize(w, h int) tea.Cmd {
	m.width, m.height = w, h
	fw, lw, rw := m.layout()
	bh := m.bodyHeight()
	m.feeds.SetSize(fw, bh)
	m.list.SetSize(lw, bh)
	m.reader.SetSize(rw, bh)
	m.errs.SetSize(w, bh)
	m.help.SetSize(w, bh)
	m.search.SetSize(w, 1)
	m.subs.SetSize(w, bh)
	m.confirm.SetSize(w, 1)
	if m.wide() {
		m.picker.SetSize(rw, bh)
	} else {
		m.picker.SetSize(w, bh)
	}
	return tea.Batch(m.reader.render(), m.list.ensureWindow())
}

// sync gives every pane the bindings that can fire now and tells it
// whether it has the focus.
func (m *Model) sync() {
	st := keyState{
		focus:      m.focus,
		canRefresh: m.fetcher != nil,
		canSubs:    m.hasSubs,
		canUndo:    len(m.undo) > 0,
	}
	_, st.feedSelected = m.feeds.selectedFeed()
	m.list.keyState(&st)
	m.reader.keyState(&st)
	st.feedFilter = len(m.refreshTargets()) > 0
	m.keys.sync(st)
	for _, p := range m.panes() {
		p.b.setKeys(m.keys)
		p.b.setFocus(p.focus)
	}
}

// refreshTargets are the feeds "r" refreshes in the current focus: the
// chooser's feed or tag, the list's feed, or the feed of the article.
func (m Model) refreshTargets() []int64 {
	switch m.focus {
	case paneFeeds:
		return m.feeds.feedIDs(m.feeds.selected())
	case paneReader:
		if id, ok := m.reader.feedID(); ok && id != 0 {
			return []int64{id}
		}
		return nil
	}
	if f := m.list.Filter(); f.FeedID == 0 && f.Tag != "" {
		return m.feeds.feedIDs(choice{kind: choiceTag, tag: f.Tag})
	}
	return m.list.refreshTargets()
}
