package sandbox

import "net/http"

// listOf answers a list request: it applies the Range header and sets
// Accept-Ranges, Content-Range and, when the list is cut, Next-Range with 206.
func listOf[T, R any](c *call, spec listSpec[T], items []T, render func(T) R) (int, any, error) {
	r, err := parseRange(c.r.Header.Get("Range"))
	if err != nil {
		return 0, nil, errRange(err.Error())
	}
	p, err := paginate(spec, items, r)
	if err != nil {
		return 0, nil, errRange(err.Error())
	}
	h := c.w.Header()
	h.Set("Accept-Ranges", p.acceptRanges)
	h.Set("Content-Range", p.contentRange)
	status := http.StatusOK
	if p.next != "" {
		h.Set("Next-Range", p.next)
		status = http.StatusPartialContent
	}
	out := make([]R, 0, len(p.items))
	for _, it := range p.items {
		out = append(out, render(it))
	}
	return status, out, nil
}

// byIDAndName ranges lists whose items have a name (the default) and an id.
func byIDAndName[T any](id, name func(T) string) listSpec[T] {
	return listSpec[T]{fields: []string{"name", "id"}, key: func(t T, field string) rangeKey {
		if field == "id" {
			return textKey(id(t))
		}
		return textKey(name(t))
	}}
}
