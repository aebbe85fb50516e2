package feed

import (
	"strings"
	"testing"
)

func TestReadAlsoMarkersMatchThemselves(t *testing.T) {
	for _, m := range ReadAlsoMarkers {
		for _, text := range []string{
			m + ": Some title",
			strings.ToUpper(m) + " – Some title",
			strings.ToLower(m) + " — Some title",
			"» " + m + " - Some title",
		} {
			got, ok := matchMarker(text)
			if !ok {
				t.Errorf("matchMarker(%q) found no marker", text)
				continue
			}
			if got.rest != "Some title" || !got.separated {
				t.Errorf("matchMarker(%q) = %+v, want rest %q, separated", text, got, "Some title")
			}
		}
	}
}

func TestReadAlsoMarkersWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range ReadAlsoMarkers {
		if m != strings.TrimSpace(m) || m == "" {
			t.Errorf("marker %q has surrounding space or is empty", m)
		}
		if CleanText(m) != m {
			t.Errorf("marker %q is not clean text", m)
		}
		key := strings.ToLower(strings.TrimRightFunc(m, isMarkerSeparator))
		if seen[key] {
			t.Errorf("marker %q is listed twice", m)
		}
		seen[key] = true
	}
}

func TestMatchMarker(t *testing.T) {
	tests := []struct {
		name, text string
		ok         bool
		rest       string
		separated  bool
	}{
		{"english colon", "Read also: 60% of Europeans believe", true, "60% of Europeans believe", true},
		{"no colon", "Read also Other story", true, "Other story", false},
		{"marker alone", "Related", true, "", false},
		{"marker alone with colon", "Related:", true, "", true},
		{"longest marker wins", "Related stories: A, B", true, "A, B", true},
		{"ukrainian", "Читайте також: Новина дня", true, "Новина дня", true},
		{"ukrainian upper case", "ЧИТАЙТЕ ТАКОЖ: Новина", true, "Новина", true},
		{"russian", "Читайте также — Новость", true, "Новость", true},
		{"polish", "Czytaj także: Wiadomość", true, "Wiadomość", true},
		{"german", "Lesen Sie auch: Nachricht", true, "Nachricht", true},
		{"french capital accent", "À LIRE AUSSI : Un titre", true, "Un titre", true},
		{"spanish", "Lea también: Un título", true, "Un título", true},
		{"italian", "Leggi anche: Un titolo", true, "Un titolo", true},
		{"portuguese", "Leia também: Um título", true, "Um título", true},
		{"bullet before", "• See also: Things", true, "Things", true},
		{"fullwidth colon", "Related：Story", true, "Story", true},
		{"word boundary", "Relatedness is a measure", false, "", false},
		{"mid-sentence", "You should read also this book", false, "", false},
		{"other text", "The president said", false, "", false},
		{"empty", "", false, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := matchMarker(tt.text)
			if ok != tt.ok {
				t.Fatalf("matchMarker(%q) ok = %v, want %v", tt.text, ok, tt.ok)
			}
			if ok && (got.rest != tt.rest || got.separated != tt.separated) {
				t.Errorf("matchMarker(%q) = %+v, want rest %q separated %v", tt.text, got, tt.rest, tt.separated)
			}
		})
	}
}
