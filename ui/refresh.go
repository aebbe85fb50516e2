package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/store"
)

// refreshState is the refresh under way, if any. Its progress reaches Update
// through ch, read by one waitRefresh Cmd at a time.
type refreshState struct {
	running bool
	seq     int
	ch      chan tea.Msg
	cancel  context.CancelFunc
	p       store.Progress

	shownNew int       // new articles when the list was last reloaded
	shownAt  time.Time // when
}

// startRefresh refreshes feedIDs (nil: every feed).
func (m *Model) startRefresh(ids []int64) tea.Cmd {
	if m.fetcher == nil {
		m.setError("offline: no network client")
		return nil
	}
	if m.refresh.running {
		m.setStatus(statusInfo, "a refresh is already running")
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	seq := m.refresh.seq + 1
	ch := make(chan tea.Msg, 64)
	m.refresh = refreshState{running: true, seq: seq, ch: ch, cancel: cancel}
	m.setStatus(statusInfo, "")
	return runRefresh(ctx, m.store, m.fetcher, ids, seq, ch)
}

func (m *Model) refreshTicked(msg refreshTickMsg) tea.Cmd {
	if msg.seq != m.tickSeq || m.refreshEvery <= 0 {
		return nil
	}
	next := refreshTick(m.refreshEvery, m.tickSeq)
	if m.refresh.running {
		return next
	}
	return tea.Batch(m.startRefresh(nil), next)
}

func (m *Model) refreshProgress(msg refreshProgressMsg) tea.Cmd {
	if msg.seq != m.refresh.seq || !m.refresh.running {
		return nil
	}
	m.refresh.p = msg.p
	next := waitRefresh(m.refresh.ch)
	// Show what has arrived so far, at most once a second.
	if now := m.now(); msg.p.New > m.refresh.shownNew && now.Sub(m.refresh.shownAt) >= time.Second {
		m.refresh.shownNew, m.refresh.shownAt = msg.p.New, now
		return tea.Batch(next, m.feeds.load(), m.list.reload())
	}
	return next
}

func (m *Model) refreshDone(msg refreshDoneMsg) tea.Cmd {
	if msg.seq != m.refresh.seq || !m.refresh.running {
		return nil
	}
	m.refresh.cancel()
	m.refresh.running = false
	s := msg.summary
	switch {
	case msg.err != nil:
		m.setError("refresh: %v", msg.err)
		return nil
	case s.Failed > 0:
		m.setStatus(statusError, "%s (e shows why)", summaryText(s))
	case len(s.Warnings) > 0:
		m.setStatus(statusOK, "%s (e shows them)", summaryText(s))
	default:
		m.setStatus(statusOK, "%s", summaryText(s))
	}
	cmds := []tea.Cmd{m.feeds.load(), m.list.reload(), m.reader.reloadLinks()}
	if m.overlay == overlayErrors {
		cmds = append(cmds, m.errs.load())
	}
	return tea.Batch(cmds...)
}

func summaryText(s store.Summary) string {
	parts := []string{fmt.Sprintf("%s new", thousands(s.New)), fmt.Sprintf("%d failed", s.Failed)}
	if n := s.Skipped - s.NotDue; n > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped (retry later)", n))
	}
	if s.NotDue > 0 {
		parts = append(parts, fmt.Sprintf("%d not due", s.NotDue))
	}
	if n := len(s.Warnings); n > 0 {
		parts = append(parts, plural(n, "warning", "warnings"))
	}
	return strings.Join(parts, " · ")
}

// progressText is the status bar's "refreshing 37/200 · 2 failed".
func (r refreshState) progressText() string {
	if r.p.Total == 0 {
		return "refreshing…"
	}
	s := fmt.Sprintf("refreshing %d/%d", r.p.Done, r.p.Total)
	if r.p.Failed > 0 {
		s += fmt.Sprintf(" · %d failed", r.p.Failed)
	}
	if r.p.New > 0 {
		s += fmt.Sprintf(" · %s new", thousands(r.p.New))
	}
	return s
}

// quit stops a refresh under way and ends the program.
func (m *Model) quit() tea.Cmd {
	if m.refresh.running {
		m.refresh.cancel()
		m.refresh.running = false
	}
	return tea.Quit
}
