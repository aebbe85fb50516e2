package subs

import (
	"bytes"
	"encoding/xml"
	"time"
)

// Export writes entries as an OPML 2.0 document: feeds without tags at the
// top, then one folder per tag (in the order tags first appear) holding its
// feeds; a feed with several tags is in each of its folders (Read merges
// them back). A feed without a title gets its URL as text, which Read takes
// as "no title". Line is ignored.
func Export(entries []Entry, title string, now time.Time) []byte {
	return ExportGroups(entries, nil, title, now)
}

// Group is a folder of feeds kept apart from the others in an export (the
// subscriptions of a sync account); its entries' tags become folders inside it.
type Group struct {
	Title   string
	Entries []Entry
}

// ExportGroups is Export with, after the entries, one folder per group. Read
// gives a feed of a group the group's title as a tag beside its own.
func ExportGroups(entries []Entry, groups []Group, title string, now time.Time) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString("<opml version=\"2.0\">\n  <head>\n    <title>")
	escape(&b, title)
	b.WriteString("</title>\n    <dateCreated>")
	b.WriteString(now.UTC().Format(time.RFC1123Z))
	b.WriteString("</dateCreated>\n  </head>\n  <body>\n")
	writeTagged(&b, "    ", entries)
	for _, g := range groups {
		writeFolder(&b, "    ", g.Title, func(indent string) { writeTagged(&b, indent, g.Entries) })
	}
	b.WriteString("  </body>\n</opml>\n")
	return b.Bytes()
}

// writeTagged writes entries at indent: the untagged ones, then a folder per tag.
func writeTagged(b *bytes.Buffer, indent string, entries []Entry) {
	var order []string
	byTag := map[string][]Entry{}
	for _, e := range entries {
		if len(e.Tags) == 0 {
			outline(b, indent, e)
			continue
		}
		for _, t := range e.Tags {
			if _, ok := byTag[t]; !ok {
				order = append(order, t)
			}
			byTag[t] = append(byTag[t], e)
		}
	}
	for _, t := range order {
		writeFolder(b, indent, t, func(inner string) {
			for _, e := range byTag[t] {
				outline(b, inner, e)
			}
		})
	}
}

// writeFolder writes an <outline> folder named name whose content body writes
// at the next indent.
func writeFolder(b *bytes.Buffer, indent, name string, body func(indent string)) {
	b.WriteString(indent)
	b.WriteString(`<outline text="`)
	escape(b, name)
	b.WriteString(`" title="`)
	escape(b, name)
	b.WriteString("\">\n")
	body(indent + "  ")
	b.WriteString(indent)
	b.WriteString("</outline>\n")
}

// outline writes one feed's <outline/>.
func outline(b *bytes.Buffer, indent string, e Entry) {
	text := e.Title
	if text == "" {
		text = e.URL
	}
	b.WriteString(indent)
	b.WriteString(`<outline type="rss" text="`)
	escape(b, text)
	if e.Title != "" {
		b.WriteString(`" title="`)
		escape(b, e.Title)
	}
	b.WriteString(`" xmlUrl="`)
	escape(b, e.URL)
	b.WriteString("\"/>\n")
}

// escape writes s escaped for XML text and attribute values.
func escape(b *bytes.Buffer, s string) {
	_ = xml.EscapeText(b, []byte(s)) // a bytes.Buffer never fails to write
}
