package ui

// docCache keeps recent renders per (article, width, theme, link state).
type docCache struct {
	max   int
	docs  map[renderKey]*renderedDoc
	order []renderKey
}

func newDocCache(n int) *docCache {
	return &docCache{max: n, docs: map[renderKey]*renderedDoc{}}
}

func (c *docCache) get(k renderKey) (*renderedDoc, bool) {
	d, ok := c.docs[k]
	return d, ok
}

func (c *docCache) put(k renderKey, d *renderedDoc) {
	if _, ok := c.docs[k]; ok {
		return
	}
	c.docs[k] = d
	c.order = append(c.order, k)
	for len(c.order) > c.max {
		delete(c.docs, c.order[0])
		c.order = c.order[1:]
	}
}
