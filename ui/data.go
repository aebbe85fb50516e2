package ui

import (
	"fmt"
	"log/slog"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/store"
)

// This file handles the replies of the store: feeds, list windows, articles,
// renders and marks.

func sprintf(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

// docCache keeps recent renders per (article, width, theme, link state).
type docCache struct {
	max   int
	docs  map[renderKey]*renderedDoc
	order []renderKey
}

func newDocCache(n int) *docCache {
	return &docCache{max: n, docs: map[renderKey]*renderedDoc{}}
}

func (c *docCache) get(k renderKey) (*renderedDoc, bool) {
	d, ok := c.docs[k]
	return d, ok
}

func (c *docCache) put(k renderKey, d *renderedDoc) {
	if _, ok := c.docs[k]; ok {
		return
	}
	c.docs[k] = d
	c.order = append(c.order, k)
	for len(c.order) > c.max {
		delete(c.docs, c.order[0])
		c.order = c.order[1:]
	}
}

func (m *Model) reloadFeeds() tea.Cmd {
	m.feedSeq++
	return loadFeeds(m.store, m.feedSeq)
}

func (m *Model) feedsLoaded(msg feedsLoadedMsg) tea.Cmd {
	if msg.seq != m.feedSeq {
		return nil
	}
	if msg.err != nil {
		m.setError("reading feeds: %v", msg.err)
		return nil
	}
	m.counts = msg.counts
	m.feeds.setFeeds(msg.feeds, msg.counts)
	return nil
}

// ensureWindow loads the rows around the cursor when they are not loaded.
func (m *Model) ensureWindow() tea.Cmd {
	if !m.list.ready {
		return nil
	}
	start, limit, ok := m.list.request(false)
	if !ok {
		return nil
	}
	return loadWindow(m.store, m.list.filter, start, limit, false, 0, m.list.seq)
}

// reloadList re-counts and re-reads the list around the cursor, keeping the
// cursor on the same article when it is still there.
func (m *Model) reloadList() tea.Cmd {
	var keep int64
	if r, ok := m.list.selected(); ok {
		keep = r.ID
	}
	start, limit, _ := m.list.request(true)
	return loadWindow(m.store, m.list.filter, start, limit, true, keep, m.list.seq)
}

// setFilter shows the articles of f from the top.
func (m *Model) setFilter(f store.Filter) tea.Cmd {
	m.list.reset(f)
	start, limit, _ := m.list.request(true)
	return loadWindow(m.store, f, start, limit, true, 0, m.list.seq)
}

func (m *Model) windowLoaded(msg windowLoadedMsg) tea.Cmd {
	if !m.list.apply(msg) {
		return nil
	}
	if msg.err != nil {
		m.setError("reading articles: %v", msg.err)
		return nil
	}
	return m.ensureWindow()
}

// openArticle shows article id in the reader and loads it (marking it read).
func (m *Model) openArticle(id int64, push bool, restore *histEntry) tea.Cmd {
	seq := m.reader.open(id, push, restore)
	m.focus = paneReader
	m.overlay = overlayNone
	return loadArticle(m.store, id, true, seq)
}

func (m *Model) articleLoaded(msg articleLoadedMsg) tea.Cmd {
	if msg.seq != m.reader.seq || msg.id != m.reader.id {
		return nil
	}
	if msg.err != nil {
		m.reader.err = msg.err
		m.setError("opening article: %v", msg.err)
		return nil
	}
	r := &m.reader
	r.article, r.targets, r.backlinks, r.loaded = msg.article, msg.targets, msg.backlinks, true
	var cmds []tea.Cmd
	if msg.markedRead {
		m.list.update(msg.id, func(a *store.ArticleRow) { a.Read = true })
		cmds = append(cmds, m.reloadFeeds())
	}
	if msg.warn != nil {
		m.setError("%v", msg.warn)
	}
	return tea.Batch(append(cmds, m.renderCurrent())...)
}

func (m Model) renderInput() renderInput {
	return renderInput{
		article:    m.reader.article,
		targets:    m.reader.targets,
		failed:     m.failedLinks(),
		backlinks:  len(m.reader.backlinks),
		width:      m.reader.width,
		style:      m.glamourStyle,
		styles:     m.styles,
		hyperlinks: m.hyperlinks,
	}
}

// renderCurrent shows the article's render for the reader's width from the
// cache, or asks for one.
func (m *Model) renderCurrent() tea.Cmd {
	if !m.reader.loaded || m.reader.width <= 0 {
		return nil
	}
	in := m.renderInput()
	k := in.key()
	if m.reader.doc != nil && m.reader.doc.key == k {
		return nil
	}
	if d, ok := m.cache.get(k); ok {
		m.reader.setDoc(d)
		return nil
	}
	return renderArticleCmd(in)
}

func (m *Model) articleRendered(msg articleRenderedMsg) tea.Cmd {
	m.cache.put(msg.key, msg.doc)
	if !m.reader.loaded || msg.key != m.renderInput().key() {
		return nil // stale: another article, width or link state
	}
	m.reader.setDoc(msg.doc)
	if msg.doc.err != nil {
		m.setError("%v", msg.doc.err)
		return logCmd(m.log, "render failed", "article", m.reader.id, "error", msg.doc.err)
	}
	return nil
}

// logCmd writes one log record (in a Cmd: Update does no I/O); nil l: none.
func logCmd(l *slog.Logger, msg string, args ...any) tea.Cmd {
	if l == nil {
		return nil
	}
	return func() tea.Msg {
		l.Warn(msg, args...)
		return nil
	}
}

func (m *Model) marked(msg markedMsg) tea.Cmd {
	if msg.err != nil {
		// Put the row back as the store has it.
		m.list.update(msg.id, func(a *store.ArticleRow) {
			if msg.starred {
				a.Starred = !msg.value
			} else {
				a.Read = !msg.value
			}
		})
		if m.reader.loaded && m.reader.id == msg.id {
			if msg.starred {
				m.reader.article.Starred = !msg.value
			} else {
				m.reader.article.Read = !msg.value
			}
		}
		m.setError("saving: %v", msg.err)
		return m.renderCurrent()
	}
	return m.reloadFeeds()
}

func (m *Model) markedAll(msg markedAllMsg) tea.Cmd {
	if msg.err != nil {
		m.setError("marking read: %v", msg.err)
		return nil
	}
	m.setStatus(statusOK, "marked %s read", plural(int(msg.n), "article", "articles"))
	return tea.Batch(m.reloadFeeds(), m.reloadList())
}

// toggleRead flips the read state of an article (optimistically; the store
// write runs in a Cmd and a failure puts it back).
func (m *Model) toggleRead(id int64, read bool) tea.Cmd {
	m.list.update(id, func(a *store.ArticleRow) { a.Read = read })
	if m.reader.loaded && m.reader.id == id {
		m.reader.article.Read = read
	}
	if read {
		m.setStatus(statusInfo, "marked read")
	} else {
		m.setStatus(statusInfo, "marked unread")
	}
	return setRead(m.store, id, read)
}

func (m *Model) toggleStar(id int64, starred bool) tea.Cmd {
	m.list.update(id, func(a *store.ArticleRow) { a.Starred = starred })
	if m.reader.loaded && m.reader.id == id {
		m.reader.article.Starred = starred
	}
	if starred {
		m.setStatus(statusInfo, "starred")
	} else {
		m.setStatus(statusInfo, "unstarred")
	}
	return tea.Batch(setStarred(m.store, id, starred), m.renderCurrent())
}
