package ui

import (
	"testing"

	"github.com/brief-reader/brief/feed"
)

// The navigator is tested alone: no store, no model.

func TestNavigatorDropsOlderFollows(t *testing.T) {
	var n navigator
	first := n.follow()
	n.fetch("https://a.example/page")
	second := n.follow()
	if n.latest(first) || !n.latest(second) {
		t.Errorf("latest(%d)=%t latest(%d)=%t, want false true", first, n.latest(first), second, n.latest(second))
	}
	if n.fetching != "" {
		t.Errorf("a new follow kept the fetch of the old one: %q", n.fetching)
	}
}

func TestNavigatorFailures(t *testing.T) {
	var n navigator
	byURL := feed.Link{N: 1, URL: "https://a.example/x?utm_source=rss"}
	sameURL := feed.Link{N: 7, URL: "https://a.example/x"}
	byTitle := feed.Link{N: 2, Text: "Some title"}
	other := feed.Link{N: 3, URL: "https://b.example/"}

	n.fetch(byURL.URL)
	if n.fail(byURL, "") {
		t.Errorf("a failure without a reason was recorded")
	}
	if n.fetching != "" {
		t.Errorf("a failure left the fetch under way")
	}
	if !n.fail(byURL, "not found") || !n.fail(byTitle, "not in the cache") {
		t.Errorf("failures with a reason were not recorded")
	}
	tests := []struct {
		l    feed.Link
		want string
	}{
		{byURL, "not found"},
		{sameURL, "not found"}, // the same page, without its tracking parameter
		{byTitle, "not in the cache"},
		{other, ""},
	}
	for _, tt := range tests {
		if got := n.failure(tt.l); got != tt.want {
			t.Errorf("failure(%+v): got %q, want %q", tt.l, got, tt.want)
		}
	}
	got := n.failures([]feed.Link{sameURL, byTitle, other})
	if len(got) != 2 || got[7] != "not found" || got[2] != "not in the cache" {
		t.Errorf("failures: got %v, want [7] not found, [2] not in the cache", got)
	}
	n.resolved(sameURL)
	if n.failure(byURL) != "" {
		t.Errorf("a link followed later still counts as failed")
	}
	if (navigator{}).failures([]feed.Link{byURL}) != nil {
		t.Errorf("failures without any: want nil")
	}
}

func TestNavigatorHistory(t *testing.T) {
	var n navigator
	if _, _, ok := n.step(false, histEntry{id: 1}, true); ok {
		t.Fatal("back with an empty history")
	}
	// 1 → 2 → 3, then back twice, forward once.
	n.visit(histEntry{id: 1, y: 10, link: 2}, true)
	n.visit(histEntry{id: 2, y: 20}, true)
	n.visit(histEntry{id: 99}, false) // nothing shown: nothing recorded
	if len(n.back) != 2 || !n.canBack() || n.canForward() {
		t.Fatalf("after two visits: back %v fwd %v", n.back, n.fwd)
	}
	seq := n.seq
	e, left, ok := n.step(false, histEntry{id: 3, y: 30}, true)
	if !ok || e.id != 2 || e.y != 20 || left != 1 {
		t.Errorf("back: got %+v left %d ok %t, want article 2 at 20, 1 left", e, left, ok)
	}
	if n.seq == seq {
		t.Errorf("a history step did not cancel the follow under way")
	}
	e, left, _ = n.step(false, e, true)
	if e.id != 1 || e.y != 10 || e.link != 2 || left != 0 || n.canBack() {
		t.Errorf("back again: got %+v left %d", e, left)
	}
	e, left, ok = n.step(true, e, true)
	if !ok || e.id != 2 || left != 1 {
		t.Errorf("forward: got %+v left %d ok %t, want article 2, 1 left", e, left, ok)
	}
	// A new visit drops what was ahead.
	n.visit(e, true)
	if n.canForward() {
		t.Errorf("a visit kept the forward history: %v", n.fwd)
	}
	if want := []int64{1, 2}; len(n.back) != 2 || n.back[0].id != want[0] || n.back[1].id != want[1] {
		t.Errorf("back history: got %+v, want ids %v", n.back, want)
	}
}
