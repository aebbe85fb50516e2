package ui

import (
	"slices"
	"strings"

	"github.com/brief-reader/brief/feed"
)

// This file is the reader's document: its links, the selected one and
// where the viewport stands.

// links returns the article's links in order.
func (r readerPane) links() []feed.Link {
	if !r.loaded {
		return nil
	}
	return r.article.Links
}

func (r readerPane) link(n int) (feed.Link, bool) {
	for _, l := range r.links() {
		if l.N == n {
			return l, true
		}
	}
	return feed.Link{}, false
}

// readAlso returns the k-th (1-based) "Read also" link.
func (r readerPane) readAlso(k int) (feed.Link, bool) {
	for _, l := range r.links() {
		if l.ReadAlso {
			k--
			if k == 0 {
				return l, true
			}
		}
	}
	return feed.Link{}, false
}

func (r readerPane) hasReadAlso() bool {
	_, ok := r.readAlso(1)
	return ok
}

// setDoc shows a render of the current article: at the restored position
// when coming back through the history, at the same relative position on a
// resize, else at the top.
func (r *readerPane) setDoc(d *renderedDoc) {
	prev := r.doc
	r.doc = d
	y := 0
	switch {
	case r.restore != nil && r.restore.id == d.key.id:
		y, r.selected = r.restore.y, r.restore.link
		r.restore = nil
	case prev != nil && prev.key.id == d.key.id && len(prev.lines) > 0:
		y = r.vp.YOffset * len(d.lines) / len(prev.lines)
	}
	r.refresh()
	r.vp.SetYOffset(y)
	if prev != nil && prev.key.id == d.key.id && r.selected != 0 {
		r.reveal()
	}
}

// refresh puts the document, with the selection highlighted, in the viewport.
func (r *readerPane) refresh() {
	if r.doc == nil {
		return
	}
	r.vp.SetContent(strings.Join(r.doc.withSelection(r.selected), "\n"))
}

// selectLink selects link n and scrolls its marker into view.
func (r *readerPane) selectLink(n int) {
	r.selected = n
	r.refresh()
	r.reveal()
}

// unselect drops the link selection.
func (r *readerPane) unselect() {
	if r.selected != 0 {
		r.selected = 0
		r.refresh()
	}
}

// dropHiddenLink drops the selection when the view scrolled its marker out
// of sight: enter and o never act on a link the reader cannot see.
func (r *readerPane) dropHiddenLink() {
	if r.selected == 0 || r.doc == nil {
		return
	}
	p, ok := r.doc.markers[r.selected]
	if !ok || p.line < r.vp.YOffset || p.line >= r.vp.YOffset+r.vp.Height {
		y := r.vp.YOffset
		r.unselect()
		r.vp.SetYOffset(y)
	}
}

func (r *readerPane) reveal() {
	if r.doc == nil {
		return
	}
	p, ok := r.doc.markers[r.selected]
	if !ok {
		return
	}
	if p.line < r.vp.YOffset || p.line >= r.vp.YOffset+r.vp.Height {
		r.vp.SetYOffset(p.line - r.vp.Height/3)
	}
}

// cycle selects the next (delta 1) or previous (-1) link. With nothing
// selected it starts from the links on screen.
func (r *readerPane) cycle(delta int) {
	links := r.links()
	if len(links) == 0 {
		return
	}
	ns := make([]int, len(links))
	for i, l := range links {
		ns[i] = l.N
	}
	slices.Sort(ns)
	i := slices.Index(ns, r.selected)
	if i < 0 {
		i = r.firstVisible(ns, delta)
	} else {
		i = (i + delta + len(ns)) % len(ns)
	}
	r.selectLink(ns[i])
}

// firstVisible is the index in ns of the first link (or, going back, the
// last) whose marker is at or after the top of the view (before its bottom).
func (r readerPane) firstVisible(ns []int, delta int) int {
	if r.doc == nil {
		if delta > 0 {
			return 0
		}
		return len(ns) - 1
	}
	top, bottom := r.vp.YOffset, r.vp.YOffset+r.vp.Height
	if delta > 0 {
		for i, n := range ns {
			if p, ok := r.doc.markers[n]; ok && p.line >= top {
				return i
			}
		}
		return 0
	}
	for i := len(ns) - 1; i >= 0; i-- {
		if p, ok := r.doc.markers[ns[i]]; ok && p.line < bottom {
			return i
		}
	}
	return len(ns) - 1
}
