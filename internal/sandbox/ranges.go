package sandbox

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Heroku pages every list with a Range header. Page sizes follow the API: 200 by
// default, 1000 at most.
const (
	defaultPageSize = 200
	maxPageSize     = 1000
)

// listRange is a parsed Range header: `[field] []start..[end] [; max=N, order=asc|desc]`.
// A leading `]` on start excludes the start value itself; that is how Next-Range
// resumes after the last item of a page.
type listRange struct {
	Field          string
	Start          string
	StartExclusive bool
	End            string
	Max            int // 0 means the default page size
	Desc           bool
}

// parseRange reads the forms Heroku clients send: `version ..; max=10, order=desc`
// (the CLI), `version ..; order=desc,max=1` (config:set), `version ..; max=10,order=desc`
// (heroku-go), `]41..; max=200` and `id ..`. Spaces and the `;` are optional.
func parseRange(s string) (listRange, error) {
	var r listRange
	s = strings.TrimSpace(s)
	if s == "" {
		return r, nil
	}
	dots := strings.Index(s, "..")
	if dots < 0 {
		return r, errors.New(`a Range needs "..", as in "version ..; max=10, order=desc"`)
	}
	head, rest := s[:dots], s[dots+2:]
	if err := parseRangeHead(&r, head); err != nil {
		return r, err
	}
	var params string
	if semi := strings.IndexByte(rest, ';'); semi >= 0 {
		r.End, params = strings.TrimSpace(rest[:semi]), rest[semi+1:]
	} else {
		// Without ";" the end is the first token, unless that token is already a
		// parameter ("version .. max=10").
		rest = strings.TrimLeft(rest, " \t")
		end, tail, _ := strings.Cut(rest, " ")
		if strings.Contains(end, "=") {
			end, tail = "", rest
		}
		r.End, params = strings.TrimRight(end, ","), tail
	}
	if r.End != "" && (!validRangeToken(r.End) || strings.HasPrefix(r.End, ".")) {
		return r, fmt.Errorf("invalid range end %q", r.End)
	}
	return r, parseRangeParams(&r, params)
}

func parseRangeHead(r *listRange, head string) error {
	fields := strings.Fields(head)
	switch {
	case len(fields) == 0:
	case len(fields) == 1 && strings.TrimRight(head, " \t") != head:
		r.Field = fields[0]
	case len(fields) == 1:
		r.Start = fields[0]
	case len(fields) == 2:
		r.Field, r.Start = fields[0], fields[1]
	default:
		return fmt.Errorf("invalid range %q", head)
	}
	if r.Field != "" && !validRangeField(r.Field) {
		return fmt.Errorf("invalid range field %q", r.Field)
	}
	if strings.HasPrefix(r.Start, "]") {
		r.StartExclusive, r.Start = true, r.Start[1:]
	}
	if r.Start != "" && (!validRangeToken(r.Start) || strings.HasSuffix(r.Start, ".")) {
		return fmt.Errorf("invalid range start %q", r.Start)
	}
	return nil
}

func parseRangeParams(r *listRange, params string) error {
	tokens := strings.FieldsFunc(params, func(c rune) bool {
		return c == ',' || c == ';' || c == ' ' || c == '\t'
	})
	for _, tok := range tokens {
		key, value, ok := strings.Cut(tok, "=")
		if !ok {
			return fmt.Errorf("invalid range parameter %q: use max=N or order=asc|desc", tok)
		}
		switch key {
		case "max":
			n, err := strconv.Atoi(value)
			if err != nil || n < 1 {
				return fmt.Errorf("invalid range max %q: use a number from 1 to %d", value, maxPageSize)
			}
			r.Max = min(n, maxPageSize)
		case "order":
			switch value {
			case "asc":
				r.Desc = false
			case "desc":
				r.Desc = true
			default:
				return fmt.Errorf("invalid range order %q: use asc or desc", value)
			}
		default:
			return fmt.Errorf("invalid range parameter %q: use max=N or order=asc|desc", key)
		}
	}
	return nil
}

func validRangeField(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c == '_') {
			return false
		}
	}
	return s != ""
}

// validRangeToken keeps starts and ends printable and free of the separators, so
// that a range always prints back to itself.
func validRangeToken(s string) bool {
	if strings.Contains(s, "..") {
		return false
	}
	for _, c := range s {
		if c <= ' ' || c == 0x7f || c == ';' || c == ',' || c == '=' {
			return false
		}
	}
	return true
}

// String renders the range in the form Heroku sends as Next-Range.
func (r listRange) String() string {
	var b strings.Builder
	if r.Field != "" {
		b.WriteString(r.Field)
		b.WriteByte(' ')
	}
	if r.StartExclusive {
		b.WriteByte(']')
	}
	b.WriteString(r.Start)
	b.WriteString("..")
	b.WriteString(r.End)
	var params []string
	if r.Max > 0 {
		params = append(params, "max="+strconv.Itoa(r.Max))
	}
	if r.Desc {
		params = append(params, "order=desc")
	}
	if len(params) > 0 {
		b.WriteString("; ")
		b.WriteString(strings.Join(params, ", "))
	}
	return b.String()
}

// rangeKey is the value a list is sorted and cut by: numeric for versions, text for
// ids, names and timestamps.
type rangeKey struct {
	num   int64
	text  string
	isNum bool
}

func numKey(n int) rangeKey     { return rangeKey{num: int64(n), isNum: true} }
func textKey(s string) rangeKey { return rangeKey{text: s} }

func (k rangeKey) String() string {
	if k.isNum {
		return strconv.FormatInt(k.num, 10)
	}
	return k.text
}

func (k rangeKey) compare(o rangeKey) int {
	if k.isNum {
		return cmp.Compare(k.num, o.num)
	}
	return strings.Compare(k.text, o.text)
}

// parseLike reads s as a key of the same kind as k.
func (k rangeKey) parseLike(s string) (rangeKey, error) {
	if !k.isNum {
		return textKey(s), nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return rangeKey{}, fmt.Errorf("range value %q is not a number", s)
	}
	return rangeKey{num: n, isNum: true}, nil
}

// listSpec says by which fields a list may be ranged; the first is the default.
type listSpec[T any] struct {
	fields []string
	key    func(item T, field string) rangeKey
}

// page is one answer of a ranged list.
type page[T any] struct {
	items        []T
	contentRange string
	next         string // the Next-Range header when the list was cut
	acceptRanges string
}

// paginate applies r to items the way the Platform API does.
func paginate[T any](spec listSpec[T], items []T, r listRange) (page[T], error) {
	p := page[T]{acceptRanges: strings.Join(spec.fields, ", ")}
	field := r.Field
	if field == "" {
		field = spec.fields[0]
	}
	if !slices.Contains(spec.fields, field) {
		return p, fmt.Errorf("cannot range by %q: use one of %s", field, p.acceptRanges)
	}
	sorted := slices.Clone(items)
	slices.SortStableFunc(sorted, func(a, b T) int {
		c := spec.key(a, field).compare(spec.key(b, field))
		if r.Desc {
			return -c
		}
		return c
	})
	lo, hi := 0, len(sorted)
	if len(sorted) > 0 {
		sample := spec.key(sorted[0], field)
		if r.Start != "" {
			start, err := sample.parseLike(r.Start)
			if err != nil {
				return p, err
			}
			for lo < hi && !passedStart(spec.key(sorted[lo], field), start, r) {
				lo++
			}
		}
		if r.End != "" {
			end, err := sample.parseLike(r.End)
			if err != nil {
				return p, err
			}
			for hi > lo && beyondEnd(spec.key(sorted[hi-1], field), end, r.Desc) {
				hi--
			}
		}
	}
	size := r.Max
	if size == 0 {
		size = defaultPageSize
	}
	cut := hi-lo > size
	if cut {
		hi = lo + size
	}
	p.items = sorted[lo:hi]
	if len(p.items) > 0 {
		first, last := spec.key(p.items[0], field), spec.key(p.items[len(p.items)-1], field)
		p.contentRange = field + " " + first.String() + ".." + last.String()
		if cut {
			next := listRange{Field: field, Start: last.String(), StartExclusive: true, End: r.End, Max: size, Desc: r.Desc}
			p.next = next.String()
		}
	} else {
		p.contentRange = field + " .."
	}
	return p, nil
}

func passedStart(k, start rangeKey, r listRange) bool {
	c := k.compare(start)
	if r.Desc {
		c = -c
	}
	if r.StartExclusive {
		return c > 0
	}
	return c >= 0
}

func beyondEnd(k, end rangeKey, desc bool) bool {
	c := k.compare(end)
	if desc {
		return c < 0
	}
	return c > 0
}
