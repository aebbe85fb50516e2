package feedtest

import (
	"fmt"
	"strings"
	"time"
)

// News paths served by AddNews.
const (
	NewsWorld      = "/world.xml"
	NewsPolitics   = "/politics.xml"
	NewsUkrainian  = "/ua.xml"
	NewsPage       = "/pages/shelling" // an article page that is in no feed (reader mode)
	NewsMissing    = "/pages/missing"  // a link target that answers 404
	NewsNotArticle = "/pages/empty"    // a page with nothing readable on it
)

// Titles of the fixture articles, for assertions.
const (
	TitleKremlin = "Kremlin won't withdraw troops from certain areas in Russia, – Biden receives Putin's response"
	TitlePoll    = "60% of Europeans believe NATO should come to Ukraine's defence if Russia invades, – poll"
	TitleBudget  = "Parliament passes the 2022 state budget in second reading"
	TitlePage    = "Russia stages pretext for attack after reports of multiple shelling incidents, – NATO"
	TitleUA      = "Уряд затвердив нову програму відновлення"
)

// AddNews serves a small news site shaped like ../shared/examples/news-article.txt:
// a World feed whose lead article has "Read also" paragraphs that link to an
// article of the Politics feed (cached after a refresh), to a page that is in
// no feed (reader mode), to a missing page (404), and a title-only "Read also"
// line that names a Politics article; a Ukrainian feed with "Читайте також".
func AddNews(s *Server) {
	base := s.URL("")
	epoch := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	kremlin := strings.Join([]string{
		`<p>The United States received Russia's response to Washington's security proposals on Thursday, a senior U.S. State Department official said.</p>`,
		`<p>The Russian Foreign Ministry delivered a ten-page document, stating that the US "violated" Russia's proposals for security guarantees.</p>`,
		`<p>Read also: <a href="/politics/nato-poll?utm_source=rss&amp;utm_medium=feed">` + TitlePoll + `</a></p>`,
		`<p>Three out of fifteen former Soviet republics have become members of NATO. Ukraine has close relations with the Alliance.</p>`,
		`<p>Read also: <a href="` + base + NewsPage + `">` + TitlePage + `</a></p>`,
		`<p>NATO Secretary-General Jens Stoltenberg reaffirmed Ukraine's right to join NATO, as the <a href="https://www.nato.int/cps/en/natohq/official_texts_8443.htm">Bucharest summit declaration</a> says.</p>`,
		`<p>Read also: ` + TitleBudget + `</p>`,
		`<p>See also: <a href="` + base + NewsMissing + `">An article that was taken down</a></p>`,
	}, "\n")
	s.Set(NewsWorld, RSS("World News", base+"/world", []Item{
		{GUID: "world-1", Title: TitleKremlin, Link: base + "/world/kremlin", Description: kremlin, Author: "Newsroom", Published: epoch},
		{GUID: "world-2", Title: "Grain corridor talks resume in Istanbul", Link: base + "/world/grain",
			Description: "<p>Delegations met again on Friday. <strong>No agreement</strong> yet.</p>", Published: epoch.Add(-time.Hour)},
		{GUID: "world-3", Title: "Storm warning for the Black Sea coast", Link: base + "/world/storm",
			Description: "<p>Forecasters expect gusts of up to 90 km/h.</p><ul><li>Ports closed</li><li>Ferries cancelled</li></ul>", Published: epoch.Add(-2 * time.Hour)},
	}), "")
	s.Set(NewsPolitics, RSS("Politics", base+"/politics", []Item{
		{GUID: "pol-1", Title: TitlePoll, Link: base + "/politics/nato-poll",
			Description: "<p>A majority of Europeans in a new survey said NATO should defend Ukraine.</p><p>Read also: <a href=\"" + base + "/world/kremlin\">" + TitleKremlin + "</a></p>", Published: epoch.Add(-3 * time.Hour)},
		{GUID: "pol-2", Title: TitleBudget, Link: base + "/politics/budget",
			Description: "<p>The Verkhovna Rada adopted the budget with 276 votes.</p>", Published: epoch.Add(-4 * time.Hour)},
	}), "")
	s.Set(NewsUkrainian, RSS("Новини", base+"/ua", []Item{
		{GUID: "ua-1", Title: TitleUA, Link: base + "/ua/programa",
			Description: "<p>Кабінет міністрів ухвалив програму.</p><p>Читайте також: <a href=\"" + base + "/politics/budget\">" + TitleBudget + "</a></p>", Published: epoch.Add(-5 * time.Hour)},
	}), "")
	s.Set(NewsPage, []byte(articlePage(TitlePage, "NATO Secretary-General Jens Stoltenberg has said the alliance is concerned that Russia is trying to stage a pretext for an armed attack against Ukraine.")), "text/html; charset=utf-8")
	s.Set(NewsNotArticle, []byte("<!doctype html><html><head><title>x</title></head><body></body></html>"), "text/html; charset=utf-8")
}

func articlePage(title, lead string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html><html><head><meta charset=\"utf-8\"><title>%s</title>", title)
	b.WriteString(`<meta property="og:site_name" content="Fixture News"></head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article>`)
	fmt.Fprintf(&b, "<h1>%s</h1><p class=\"byline\">By Olena Fixture</p><p>%s</p>", title, lead)
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&b, "<p>Paragraph %d of the article. The alliance said it had seen reports of shelling along the contact line, and that such incidents could be used as a pretext. Officials in several capitals repeated their calls for de-escalation and for talks to continue.</p>", i)
	}
	b.WriteString(`</article><footer>© Fixture News</footer></body></html>`)
	return b.String()
}
