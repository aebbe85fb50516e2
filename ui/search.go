package ui

import (
	"context"
	"errors"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/brief-reader/brief/internal/query"
	"github.com/brief-reader/brief/store"
)

// plainWords reports whether n is only bare words (no fields, phrases or
// operators): such a search keeps the store's plain search, which matches a
// last word as a prefix and also finds linked pages.
func plainWords(n query.Node) bool {
	plain := true
	query.Walk(n, func(n query.Node) bool {
		switch x := n.(type) {
		case *query.And:
		case *query.Text:
			plain = plain && x.Field == query.Any && !x.Phrase
		default:
			plain = false
		}
		return plain
	})
	return plain
}

// searchText is the search the list shows, as typed ("" for none).
func searchText(f store.Filter) string {
	if f.Search != nil {
		return f.Search.String()
	}
	return f.Query
}

// compileSearch compiles a search in the query language for the store.
func compileSearch(s listStore, n query.Node, text string, seq int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		q, err := s.Compile(ctx, n)
		return searchCompiledMsg{seq: seq, text: text, q: q, err: err}
	}
}

// search starts showing the articles matching msg's query within the
// chosen list: a plain search at once, a query of the language once the
// store has compiled it.
func (l *listPane) search(msg searchMsg) tea.Cmd {
	l.searchSeq++
	if msg.node == nil || plainWords(msg.node) {
		f := l.base
		f.Query, f.Search = msg.query, nil
		return l.setFilter(f)
	}
	return compileSearch(l.store, msg.node, msg.query, l.searchSeq)
}

// searchCompiled shows the compiled search, or sends the prompt back with
// the store's objection.
func (l *listPane) searchCompiled(msg searchCompiledMsg) tea.Cmd {
	if msg.seq != l.searchSeq {
		return nil
	}
	var qe *query.Error
	switch {
	case errors.As(msg.err, &qe):
		l.tell(searchFailedMsg{text: msg.text, err: qe})
		return nil
	case msg.err != nil:
		l.status(statusError, "search: %v", msg.err)
		return nil
	}
	f := l.base
	f.Query, f.Search = "", msg.q
	return l.setFilter(f)
}
