package feedtest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// newsSentences are the sentences generated news articles are made of, in the
// register of ../shared/examples/news-article.txt.
var newsSentences = []string{
	"The United States received Russia's response to Washington's security proposals on Thursday, a senior State Department official said.",
	"The Foreign Ministry delivered a ten-page document, stating that the proposals had been ignored in favour of topics convenient for the other side.",
	"Officials in several capitals repeated their calls for de-escalation and for talks to continue at the level of foreign ministers.",
	"Three out of fifteen former Soviet republics have become members of NATO, and Ukraine has close relations with the Alliance.",
	"The Secretary-General reaffirmed the right of every nation to choose its own security arrangements, as the summit declaration says.",
	"Forecasters expect gusts of up to 90 km/h along the coast on Friday night, and ports have been closed until further notice.",
	"Parliament adopted the state budget in second reading with 276 votes, after a debate that lasted well into the evening.",
	"According to the ministry, the new programme will cost about 4.2 billion hryvnias over the next three years.",
	"Analysts said the decision was expected, but warned that the timetable left little room for the negotiations that remain.",
	"The mayor told reporters that heating had been restored in most districts and that repair crews were working around the clock.",
	"In a statement published on its website, the company said it would appeal the ruling and continue to cooperate with regulators.",
	"Researchers at the university found that the effect was strongest among people over sixty, who took part in the trial for a year.",
	"The central bank kept its key rate unchanged at 10 percent, citing inflation that remains above its target.",
	"Delegations met again in Istanbul on Friday; no agreement has been reached yet, but both sides described the talks as constructive.",
	"Local residents said they had heard several explosions shortly after midnight, and the regional administration confirmed damage to a substation.",
	"The report, which runs to more than 300 pages, recommends that the agency publish its data every month instead of every quarter.",
}

// newsSections are the path segments of generated article URLs.
var newsSections = []string{"world", "politics", "economy", "society", "science", "sport", "culture", "tech"}

// NewsTitle is the title of generated news article i of feed f.
func NewsTitle(f, i int) string {
	return fmt.Sprintf("%s: officials weigh the next steps after talks in round %d of feed %d",
		strings.ToUpper(newsSections[(f+i)%len(newsSections)][:1])+newsSections[(f+i)%len(newsSections)][1:], i, f)
}

// NewsURL is the address of generated news article i of feed f on base.
func NewsURL(base string, f, i int) string {
	return fmt.Sprintf("%s/%s/%d/%d-officials-weigh-next-steps", base, newsSections[(f+i)%len(newsSections)], f, i)
}

// GenerateNews returns n items for feed number f shaped like the items of
// real news feeds: a one-paragraph description and a full content:encoded
// body of 2–4 KB of HTML with a lead image (srcset, caption), inline links
// (some with tracking parameters), emphasis, a quote, and a "Read also"
// paragraph linking to another article of the same feed. Links point at
// base; dates count back from a fixed epoch so runs repeat.
func GenerateNews(base string, f, n int) []Item {
	epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	items := make([]Item, n)
	for i := range items {
		r := rand.New(rand.NewPCG(uint64(f), uint64(i)))
		link := NewsURL(base, f, i)
		items[i] = Item{
			GUID:        link,
			Title:       NewsTitle(f, i),
			Link:        link,
			Description: "<p>" + newsSentences[r.IntN(len(newsSentences))] + "</p>",
			Content:     newsBody(r, base, f, i, n),
			Author:      "Newsroom",
			Published:   epoch.Add(time.Duration(f*n+(n-i)) * time.Minute),
		}
	}
	return items
}

// newsBody builds one article body of 2–4 KB.
func newsBody(r *rand.Rand, base string, f, i, n int) string {
	var b strings.Builder
	target := 2200 + r.IntN(1200)
	fmt.Fprintf(&b, `<figure><img src="%s/img/%d/%d.jpg" srcset="%s/img/%d/%d-640.jpg 640w, %s/img/%d/%d-1280.jpg 1280w" alt="Illustrative photo" width="1280" height="720" loading="lazy"/><figcaption>Illustrative photo / Fixture News</figcaption></figure>`,
		base, f, i, base, f, i, base, f, i)
	para := 0
	readAlso := 2 + r.IntN(2)
	for b.Len() < target-150 {
		b.WriteString("<p>")
		for k := 2 + r.IntN(3); k > 0; k-- {
			s := newsSentences[r.IntN(len(newsSentences))]
			switch r.IntN(6) {
			case 0: // a link on the first words, as news sites link a name or a phrase
				words := strings.SplitAfterN(s, " ", 3+r.IntN(3))
				rest := words[len(words)-1]
				fmt.Fprintf(&b, `<a href="%s/%s/%d/%d?utm_source=rss&amp;utm_medium=feed">%s</a> %s `, base, newsSections[r.IntN(len(newsSections))], f, r.IntN(n+1),
					strings.TrimSpace(strings.Join(words[:len(words)-1], "")), rest)
			case 1:
				fmt.Fprintf(&b, "<strong>%s</strong> ", s)
			default:
				b.WriteString(s + " ")
			}
		}
		b.WriteString("</p>\n")
		para++
		if para == readAlso && n > 1 {
			j := (i + 1 + r.IntN(n-1)) % n
			fmt.Fprintf(&b, "<p><strong>Read also:</strong> <a href=\"%s\">%s</a></p>\n", NewsURL(base, f, j), NewsTitle(f, j))
		}
		if para == 3 {
			fmt.Fprintf(&b, "<blockquote><p>&ldquo;%s&rdquo;</p></blockquote>\n", newsSentences[r.IntN(len(newsSentences))])
		}
	}
	b.WriteString(`<p><em>Follow us on <a href="https://t.me/fixturenews">Telegram</a> and <a href="https://twitter.com/fixturenews">Twitter</a>.</em></p>`)
	return b.String()
}
