package ui

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/feed"
	"github.com/brief-reader/brief/internal/feedtest"
	"github.com/brief-reader/brief/store"
)

func bigInput(id int64, width int) renderInput {
	body := feed.ConvertHTML(feedtest.Hostile("paragraphs", 1<<20), "https://x.example/")
	return renderInput{
		article: store.Article{ArticleRow: store.ArticleRow{ID: id, Title: "Big"}, Markdown: body.Markdown, Links: body.Links},
		width:   width, style: "dark", styles: NewStyles(true, false),
	}
}

// Two requests for one render share it.
func TestRendersAreDeduplicated(t *testing.T) {
	j := newRenderJobs()
	in := bigInput(1, 80)
	var wg sync.WaitGroup
	msgs := make([]tea.Msg, 3)
	for i := range msgs {
		wg.Add(1)
		go func() { defer wg.Done(); msgs[i] = j.cmd(in)() }()
	}
	wg.Wait()
	first, ok := msgs[0].(articleRenderedMsg)
	if !ok {
		t.Fatalf("got %T, want articleRenderedMsg", msgs[0])
	}
	for _, m := range msgs[1:] {
		if r, ok := m.(articleRenderedMsg); !ok || r.doc != first.doc {
			t.Errorf("a request rendered again (or got nothing): %T", m)
		}
	}
	if n := j.running(); n != 0 {
		t.Errorf("%d renders left running", n)
	}
}

// A render of another key (a resize, another article) cancels the one in
// progress, which reports nothing.
func TestSupersededRenderIsCancelled(t *testing.T) {
	j := newRenderJobs()
	old := make(chan tea.Msg, 1)
	go func() { old <- j.cmd(bigInput(1, 80))() }()
	for j.running() == 0 {
		time.Sleep(time.Millisecond)
	}
	small := renderInput{article: store.Article{ArticleRow: store.ArticleRow{ID: 2, Title: "Small"}, Markdown: "text"},
		width: 100, style: "dark", styles: NewStyles(true, false)}
	if _, ok := j.cmd(small)().(articleRenderedMsg); !ok {
		t.Fatal("the new render reported nothing")
	}
	if msg := <-old; msg != nil {
		t.Errorf("the superseded render reported %T", msg)
	}
}

// Bubbletea runs commands in goroutines, which may start in any order: an
// older request that starts after a newer one is superseded, and it does not
// cancel the newer one (under load the reader showed "Loading…" for good).
func TestOlderRequestStartingLateCancelsNothing(t *testing.T) {
	j := newRenderJobs()
	older, newer := renderKey{id: 1, width: 36}, renderKey{id: 1, width: 73}
	newJob, own := j.start(newer, 2)
	if newJob == nil || !own {
		t.Fatalf("the newer request: got job %v, own %t", newJob, own)
	}
	if job, _ := j.start(older, 1); job != nil {
		t.Error("the older request got a job: it would render a stale width")
	}
	if newJob.canceled {
		t.Error("the older request cancelled the newer render")
	}
	if job, own := j.start(newer, 3); job != newJob || own {
		t.Error("a later request for the same key did not share the render in progress")
	}
}

// Past its budget, the rest of an article is plain text, whole.
func TestRenderBudgetFallsBackToPlainText(t *testing.T) {
	md := feed.ConvertHTML(feedtest.Hostile("paragraphs", 200_000), "https://x.example/").Markdown
	lines, _, err := renderBodyMarked(context.Background(), md, 80, "dark", func(int) bool { return true }, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := plain(strings.Join(lines, "\n"))
	if !strings.Contains(got, "shown as plain text") {
		t.Errorf("no note that the rest is plain text")
	}
	if w, g := strings.Count(md, "a statement"), strings.Count(got, "a statement"); g != w {
		t.Errorf("%d of %d paragraphs shown", g, w)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := renderBodyMarked(ctx, md, 80, "dark", func(int) bool { return true }, renderBudget); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled render: got %v", err)
	}
}

// Rendering block by block draws what rendering the whole would.
func TestBlocksRenderAsTheWhole(t *testing.T) {
	md := feed.ConvertHTML(feedtest.Hostile("paragraphs", 60_000)+"<pre>code\n\nmore code</pre><blockquote>q</blockquote>", "https://x.example/").Markdown
	blocks := splitBlocks(md, 1000)
	if len(blocks) < 10 || strings.Join(blocks, "\n") != md {
		t.Fatalf("%d blocks that do not join back to the Markdown", len(blocks))
	}
	for _, b := range blocks {
		if strings.Count(b, "```")%2 != 0 {
			t.Errorf("a block splits a code block: %q", b)
		}
	}
}
