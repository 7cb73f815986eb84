package heroku

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Range is a Platform API list range, as sent in Range and answered in Next-Range:
// `version ..; max=10, order=desc`. First and Last are kept as written (Heroku's
// Next-Range may start with `]`, meaning "after").
type Range struct {
	Field string
	First string
	Last  string
	Max   int  // 0 when absent
	Desc  bool // order=desc
	Order bool // an order parameter was given
}

// ParseRange parses a Range or Next-Range value. It accepts the forms seen in the
// wild: parameters in either order, with or without spaces, with or without the `;`.
func ParseRange(s string) (Range, error) {
	var r Range
	s = strings.TrimSpace(s)
	field, rest, ok := strings.Cut(s, " ")
	if !ok || field == "" || strings.Contains(field, "..") {
		return r, fmt.Errorf("range %q: want `FIELD [FIRST]..[LAST][; max=N, order=asc|desc]`", s)
	}
	r.Field = field
	rest = strings.TrimSpace(rest)
	first, tail, ok := strings.Cut(rest, "..")
	if !ok {
		return r, fmt.Errorf("range %q: missing `..`", s)
	}
	r.First = strings.TrimSpace(first)
	if strings.HasSuffix(r.First, ".") {
		return r, fmt.Errorf("range %q: ambiguous `...`", s)
	}
	end := strings.IndexAny(tail, "; \t")
	if end < 0 {
		end = len(tail)
	}
	last, params := tail[:end], tail[end:]
	if strings.Contains(last, "=") { // `..max=10`: no last id, the parameters follow
		last, params = "", tail
	}
	r.Last = last
	for _, p := range strings.FieldsFunc(params, func(c rune) bool { return c == ';' || c == ',' || unicode.IsSpace(c) }) {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			return r, fmt.Errorf("range %q: parameter %q is not key=value", s, p)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch strings.ToLower(k) {
		case "max":
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				return r, fmt.Errorf("range %q: max=%q is not a positive number", s, v)
			}
			r.Max = n
		case "order":
			switch strings.ToLower(v) {
			case "asc":
				r.Desc = false
			case "desc":
				r.Desc = true
			default:
				return r, fmt.Errorf("range %q: order=%q is neither asc nor desc", s, v)
			}
			r.Order = true
		}
	}
	return r, nil
}

// String formats the range as heroku-go does.
func (r Range) String() string {
	s := r.Field + " " + r.First + ".." + r.Last
	var ps []string
	if r.Max > 0 {
		ps = append(ps, "max="+strconv.Itoa(r.Max))
	}
	if r.Order {
		if r.Desc {
			ps = append(ps, "order=desc")
		} else {
			ps = append(ps, "order=asc")
		}
	}
	if len(ps) > 0 {
		s += "; " + strings.Join(ps, ", ")
	}
	return s
}
