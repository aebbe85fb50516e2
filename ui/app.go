package ui

import (
	"log/slog"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/store"
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

// Model is brief's root bubbletea model: it owns the layout, the focus and
// the routing of messages to the panes.
type Model struct {
	store          Store
	fetcher        Fetcher
	openURL        func(string) error
	log            *slog.Logger // nil: no logging
	refreshOnStart bool
	refreshEvery   time.Duration
	glamourStyle   string
	hyperlinks     bool
	now            func() time.Time

	keys      KeyMap
	styles    Styles
	help      help.Model
	spin      spinner.Model
	spinning  bool
	search    textinput.Model
	searching bool
	numMode   bool
	num       string

	width, height int
	focus         pane
	overlay       overlay

	feeds  feedsPane
	list   listPane
	reader readerPane
	errs   errorsPane
	picker pickerPane

	counts  store.Counts
	feedSeq int
	cache   *docCache

	refresh refreshState
	follow  followState
	tickSeq int
	status  status
	notice  string // Options.Notice, in the status bar until the first key
}

// New returns the UI for opts. Nothing is read until the program runs Init.
func New(opts Options) Model {
	st := NewStyles(opts.Dark, opts.NoColor)
	h := help.New()
	h.Styles = st.Help
	h.FullSeparator = "   "
	sp := spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(st.Spinner))
	ti := textinput.New()
	ti.Prompt = "/"
	ti.Placeholder = "search titles and text"
	ti.CharLimit = 200
	ti.Cursor.SetMode(cursor.CursorStatic)
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	m := Model{
		store:          opts.Store,
		fetcher:        opts.fetcher(),
		openURL:        opts.OpenURL,
		log:            opts.Logger,
		refreshOnStart: opts.RefreshOnStart,
		refreshEvery:   opts.RefreshInterval,
		glamourStyle:   opts.glamourStyle(),
		hyperlinks:     !opts.NoColor && !opts.NoHyperlinks,
		now:            now,
		keys:           DefaultKeyMap(),
		styles:         st,
		help:           h,
		spin:           sp,
		search:         ti,
		focus:          paneList,
		feeds:          newFeedsPane(),
		reader:         newReaderPane(),
		cache:          newDocCache(renderCache),
		feedSeq:        1,
		tickSeq:        1,
	}
	m.list.seq = 1
	m.list.want = [2]int{0, windowSize}
	m.notice = feed.CleanText(opts.Notice)
	m.list.notice = m.notice
	m.syncKeys()
	return m
}

// Init loads the feeds and the first window of the list, and starts the
// refreshes the options ask for.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{
		loadFeeds(m.store, m.feedSeq),
		loadWindow(m.store, m.list.filter, 0, windowSize, true, 0, m.list.seq),
	}
	if m.refreshOnStart {
		cmds = append(cmds, emit(refreshRequestedMsg{}))
	}
	if m.refreshEvery > 0 {
		cmds = append(cmds, refreshTick(m.refreshEvery, m.tickSeq))
	}
	return tea.Batch(cmds...)
}

// Update handles one message. It never blocks: every read, write, request and
// render is returned as a tea.Cmd.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	m.syncKeys()
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return m.setSize(msg.Width, msg.Height)
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste && !m.searching {
			// Keys typed faster than the terminal is read arrive together.
			var cmds []tea.Cmd
			for _, r := range msg.Runes {
				cmds = append(cmds, m.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
				m.syncKeys()
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
	case feedsLoadedMsg:
		return m.feedsLoaded(msg)
	case windowLoadedMsg:
		return m.windowLoaded(msg)
	case articleLoadedMsg:
		return m.articleLoaded(msg)
	case articleRenderedMsg:
		return m.articleRendered(msg)
	case markedMsg:
		return m.marked(msg)
	case markedAllMsg:
		return m.markedAll(msg)
	case errorsLoadedMsg:
		if msg.seq == m.errs.seq {
			m.errs.errs, m.errs.err, m.errs.loaded = msg.errs, msg.err, true
		}
		return nil
	case refreshRequestedMsg:
		return m.startRefresh(msg.feedIDs)
	case refreshTickMsg:
		return m.refreshTicked(msg)
	case refreshProgressMsg:
		return m.refreshProgress(msg)
	case refreshDoneMsg:
		return m.refreshDone(msg)
	case linkResolvedMsg:
		return m.linkResolved(msg)
	case linkAmbiguousMsg:
		return m.linkAmbiguous(msg)
	case linkNeedsFetchMsg:
		return m.linkNeedsFetch(msg)
	case linkFailedMsg:
		return m.linkFailed(msg)
	case browserOpenedMsg:
		if msg.err != nil {
			m.setError("open in browser: %v", msg.err)
		} else {
			m.setStatus(statusOK, "opened %s in the browser", hostPath(msg.url))
		}
		return nil
	}
	return nil
}

// setStatus sets the status line. Messages often carry network text (an
// error naming a URL, a title), so they are cleaned like everything else.
func (m *Model) setStatus(kind statusKind, format string, args ...any) {
	m.status = status{text: feed.CleanText(sprintf(format, args...)), kind: kind}
}

func (m *Model) setError(format string, args ...any) {
	m.setStatus(statusError, format, args...)
}

func (m Model) busy() bool {
	return m.refresh.running || m.follow.fetching != ""
}

func (m *Model) startSpinner() tea.Cmd {
	if m.spinning {
		return nil
	}
	m.spinning = true
	return m.spin.Tick
}

// wide reports whether the list and the reader sit side by side.
func (m Model) wide() bool { return m.width >= wideLayout }

// sidebar reports whether the feed chooser stays on screen beside them.
func (m Model) sidebar() bool { return m.width >= sidebarLayout }

// layout returns the widths of the feed chooser, the list and the reader.
// Narrow: each takes the whole width, one at a time. Wide: the list and the
// reader share the width (the chooser takes the list's place while it has
// the focus), and from sidebarLayout columns the chooser stays on the left.
func (m Model) layout() (feeds, list, reader int) {
	if !m.wide() {
		return m.width, m.width, m.width
	}
	rest := m.width - 1 // one separator
	if m.sidebar() {
		feeds = 24
		if m.width >= 180 {
			feeds = 28
		}
		rest -= feeds + 1
	}
	reader = max(60, min(100, rest*11/20))
	list = rest - reader
	if !m.sidebar() {
		feeds = list
	}
	return feeds, list, reader
}

// columns are the panes on screen, left to right.
func (m Model) columns() []pane {
	switch {
	case m.sidebar():
		return []pane{paneFeeds, paneList, paneReader}
	case m.wide() && m.focus == paneFeeds:
		return []pane{paneFeeds, paneReader}
	case m.wide():
		return []pane{paneList, paneReader}
	case m.focus == paneReader && m.reader.id != 0, m.overlay == overlayPicker:
		return []pane{paneReader}
	case m.focus == paneFeeds:
		return []pane{paneFeeds}
	}
	return []pane{paneList}
}

func (m Model) bodyHeight() int {
	return max(1, m.height-lipgloss.Height(m.headerView())-lipgloss.Height(m.statusView()))
}

func (m *Model) setSize(w, h int) tea.Cmd {
	m.width, m.height = w, h
	fw, lw, rw := m.layout()
	bh := m.bodyHeight()
	m.feeds.SetSize(fw, bh)
	m.list.SetSize(lw, bh)
	m.reader.SetSize(rw, bh)
	m.errs.SetSize(w, bh)
	m.search.Width = max(10, w-4)
	m.help.Width = w
	if m.wide() {
		m.picker.SetSize(rw, bh)
	} else {
		m.picker.SetSize(w, bh)
	}
	return tea.Batch(m.renderCurrent(), m.ensureWindow())
}

// syncKeys enables the bindings that can fire now.
func (m *Model) syncKeys() {
	_, rowOK := m.list.selected()
	browse, _ := m.browseTarget()
	st := keyState{
		focus:       m.focus,
		articleOpen: m.reader.loaded,
		rowSelected: rowOK,
		canRefresh:  m.fetcher != nil,
		canBrowse:   browse != "",
		canBack:     len(m.reader.back) > 0,
		canForward:  len(m.reader.fwd) > 0,
		hasLinks:    len(m.reader.links()) > 0,
		readAlso:    m.reader.hasReadAlso(),
		backlinks:   len(m.reader.backlinks) > 0,
	}
	st.linkSelected = m.reader.selected != 0
	st.feedFilter = len(m.refreshTargets()) > 0
	st.listShown = m.list.ready
	m.keys.sync(st)
}

// View draws the header, the panes (or an overlay) and the status bar.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	header := m.headerView()
	footer := m.statusView()
	if m.searching {
		footer = pad(m.search.View(), m.width)
	}
	switch m.height {
	case 1:
		return pad(header, m.width)
	case 2:
		return pad(header, m.width) + "\n" + footer
	}
	return header + "\n" + m.bodyView() + "\n" + footer
}

func (m Model) bodyView() string {
	bh := m.bodyHeight()
	now := m.now()
	switch m.overlay {
	case overlayHelp:
		return m.helpView(bh)
	case overlayErrors:
		return m.errs.View(m.styles, now)
	}
	readerView := func() string {
		if m.overlay == overlayPicker {
			return m.picker.View(m.styles, now)
		}
		return m.reader.View(m.styles)
	}
	var cols [][]string
	for _, p := range m.columns() {
		var v string
		switch p {
		case paneFeeds:
			v = m.feeds.View(m.styles, m.focus == paneFeeds)
		case paneList:
			v = m.list.View(m.styles, m.focus == paneList, now)
		default:
			v = readerView()
		}
		cols = append(cols, strings.Split(v, "\n"))
	}
	sep := m.styles.Separator.Render("│")
	var b strings.Builder
	for i := range bh {
		if i > 0 {
			b.WriteByte('\n')
		}
		for c, col := range cols {
			if c > 0 {
				b.WriteString(sep)
			}
			if i < len(col) {
				b.WriteString(col[i])
			}
		}
	}
	return b.String()
}

func (m Model) helpView(h int) string {
	title := m.styles.OverlayTitle.Render(" Keys") + m.styles.Dim.Render("  esc or ? closes")
	body := m.help.FullHelpView(m.keys.FullHelp())
	lines := append([]string{title, ""}, strings.Split(body, "\n")...)
	for i := 2; i < len(lines); i++ {
		lines[i] = " " + lines[i]
	}
	return fill(lines, m.width, h)
}

// refreshTargets are the feeds "r" refreshes in the current focus: the
// chooser's feed or tag, the list's feed, or the feed of the article.
func (m Model) refreshTargets() []int64 {
	switch m.focus {
	case paneFeeds:
		return m.feeds.feedIDs(m.feeds.selected())
	case paneReader:
		if m.reader.loaded && m.reader.article.FeedID != 0 {
			return []int64{m.reader.article.FeedID}
		}
		return nil
	}
	if m.list.filter.FeedID != 0 {
		return []int64{m.list.filter.FeedID}
	}
	if m.list.filter.Tag != "" {
		return m.feeds.feedIDs(choice{kind: choiceTag, tag: m.list.filter.Tag})
	}
	if r, ok := m.list.selected(); ok && r.FeedID != 0 {
		return []int64{r.FeedID}
	}
	return nil
}
