package ui

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/store"
)

// failingFixture adds two feeds that fail (404 and 503 with Retry-After).
func failingFixture(t *testing.T) *fixture {
	t.Helper()
	fx := newFixture(t)
	fx.srv.Handle("/busy.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	specs := []store.FeedSpec{
		{URL: fx.srv.URL("/world.xml"), Tags: []string{"world"}},
		{URL: fx.srv.URL("/tech.xml"), Tags: []string{"tech"}},
		{URL: fx.srv.URL("/science.xml"), Title: "Science & Politics"},
		{URL: fx.srv.URL("/gone.xml"), Title: "Gone Feed"},
		{URL: fx.srv.URL("/busy.xml"), Title: "Busy Feed"},
	}
	if err := fx.store.SyncFeeds(context.Background(), specs); err != nil {
		t.Fatal(err)
	}
	return fx
}

// TestRefreshProgress steps through a refresh by hand: each report reaches
// Update, the status bar shows it, and the end reloads counts and list.
func TestRefreshProgress(t *testing.T) {
	fx := failingFixture(t)
	m := fx.model(t, 100, 24)
	base := strings.TrimSuffix(fx.srv.URL(""), "/")
	fx.srv.Set("/world.xml", feedtest.RSS("World News", base, append(feedtest.Generate(base, 7, 3),
		feedtest.Item{GUID: "w1", Title: "Kremlin won’t withdraw troops, – Biden receives Putin’s response", Link: base + "/world/kremlin", Published: at(2)})), "")

	m, cmd := sendOnly(t, m, keyMsg("R"))
	if !m.refresh.running {
		t.Fatal("R did not start a refresh")
	}
	mustContain(t, m.View(), "refreshing…")
	// The UI answers while the refresh runs.
	m = press(t, m, "j")
	if m.list.cursor != 1 || !m.refresh.running {
		t.Fatalf("j during a refresh: %s", describe(m))
	}
	m2, cmd2 := sendOnly(t, m, keyMsg("R"))
	if cmd2 != nil || !strings.Contains(m2.status.text, "already running") {
		t.Errorf("a second R: status %q", m2.status.text)
	}

	var sawProgress bool
	var done *refreshDoneMsg
	msgs := collect(t, cmd)
	for len(msgs) > 0 && done == nil {
		msg := msgs[0]
		msgs = msgs[1:]
		switch msg := msg.(type) {
		case refreshProgressMsg:
			var next tea.Cmd
			m, next = sendOnly(t, m, msg)
			if msg.p.Total == 5 && msg.p.Done > 0 {
				sawProgress = true
				mustContain(t, m.View(), "refreshing ")
				if msg.p.Failed > 0 {
					mustContain(t, m.View(), " failed")
				}
			}
			msgs = append(msgs, collect(t, next)...)
		case refreshDoneMsg:
			done = &msg
		}
	}
	if !sawProgress || done == nil {
		t.Fatalf("progress seen %t, done %v", sawProgress, done)
	}
	if done.summary.Failed != 2 || done.summary.New != 3 {
		t.Errorf("summary: %+v", done.summary)
	}
	m, cmd = sendOnly(t, m, *done)
	m = run(t, m, cmd)
	if m.refresh.running {
		t.Error("still running after the end")
	}
	mustContain(t, m.View(), "3 new · 2 failed (e shows why)")
	if m.list.total != 11 || m.feeds.counts.Unread != 11 {
		t.Errorf("after refresh: total %d unread %d, want 11 11", m.list.total, m.feeds.counts.Unread)
	}
	if r, _ := m.list.selected(); !strings.HasPrefix(r.Title, "Kremlin") {
		t.Errorf("cursor moved off the article: on %q", r.Title)
	}
	// The errors view names both feeds, their errors and when.
	m = press(t, m, "e")
	mustContain(t, m.View(), "Gone Feed", "404", "Busy Feed", "503", "failed now", "not trying again before")
	m = press(t, m, "j", "k", "G", "g", "pgdown", "pgup", "esc")
	if m.overlay != overlayNone {
		t.Errorf("esc did not close the errors view")
	}
	// The sidebar marks the failing feeds.
	m = send(t, m, tea.WindowSizeMsg{Width: 160, Height: 30})
	mustContain(t, m.View(), "! Gone Feed", "! Busy Feed")
}

func TestStaleRefreshMessagesAreDropped(t *testing.T) {
	m := New(Options{Now: func() time.Time { return testNow }})
	m.refresh = refreshState{running: true, seq: 2, ch: make(chan tea.Msg), cancel: func() {}}
	m, cmd := sendOnly(t, m, refreshProgressMsg{seq: 1, p: store.Progress{Total: 9, Done: 9}})
	if cmd != nil || m.refresh.p.Total != 0 {
		t.Errorf("an old refresh's progress was taken")
	}
	m, _ = sendOnly(t, m, refreshDoneMsg{seq: 1})
	if !m.refresh.running {
		t.Errorf("an old refresh's end stopped the current one")
	}
}

func TestRefreshOnStartAndInterval(t *testing.T) {
	fx := newFixture(t)
	before := fx.srv.Stats("/world.xml").Requests
	fx.model(t, 80, 24, func(o *Options) { o.RefreshOnStart = true })
	if got := fx.srv.Stats("/world.xml").Requests; got != before+1 {
		t.Errorf("RefreshOnStart: %d requests, want 1", got-before)
	}

	m := New(Options{Store: fx.store, Client: newClient(), RefreshInterval: time.Hour, Now: func() time.Time { return testNow }})
	m, cmd := sendOnly(t, m, refreshTickMsg{seq: m.tickSeq})
	if !m.refresh.running || cmd == nil {
		t.Fatalf("the interval tick did not start a refresh")
	}
	// The tick schedules the next one; a tick while running only reschedules.
	m, cmd = sendOnly(t, m, refreshTickMsg{seq: m.tickSeq})
	if cmd == nil || m.refresh.seq != 1 {
		t.Errorf("tick while running: seq %d", m.refresh.seq)
	}
	if _, cmd := sendOnly(t, m, refreshTickMsg{seq: m.tickSeq + 1}); cmd != nil {
		t.Errorf("a stale tick did something")
	}
	// Quitting cancels the refresh under way.
	m, _ = sendOnly(t, m, keyMsg("q"))
	if m.refresh.running {
		t.Errorf("q left the refresh running")
	}
}

func TestRefreshOffline(t *testing.T) {
	fx := newFixture(t)
	m := fx.model(t, 80, 24, func(o *Options) { o.Client = nil })
	if m.keys.RefreshAll.Enabled() {
		t.Errorf("R enabled without a client")
	}
	m, _ = sendOnly(t, m, refreshRequestedMsg{})
	if !strings.Contains(m.status.text, "offline") {
		t.Errorf("status %q", m.status.text)
	}
}
