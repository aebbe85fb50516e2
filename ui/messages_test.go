package ui

import "testing"

// TestToldMessagesReachEveryPaneInOneUpdate: m in the reader tells
// articleMarkedMsg; the list's row and the reader's article change in the
// same Update, before the store's write has run (so its reply, which may
// undo the change, cannot arrive first).
func TestToldMessagesReachEveryPaneInOneUpdate(t *testing.T) {
	fx := newFixture(t)
	m := press(t, fx.model(t, 80, 24), "j", "enter")
	id := m.reader.id
	if r, ok := m.list.selected(); !ok || r.ID != id || !r.Read || !m.reader.article.Read {
		t.Fatalf("open did not mark read: %s", describe(m))
	}
	m, cmd := sendOnly(t, m, keyMsg("m"))
	if r, _ := m.list.selected(); r.Read || m.reader.article.Read || m.status.text != "marked unread" {
		t.Errorf("before the write: list row read %t, reader read %t, status %q; want false false \"marked unread\"",
			r.Read, m.reader.article.Read, m.status.text)
	}
	m = run(t, m, cmd)
	if got := m.feeds.unread(); got != 8 {
		t.Errorf("after the write: %d unread in the chooser, want 8", got)
	}
}
