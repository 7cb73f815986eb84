package sandbox

import (
	"strconv"
	"testing"
)

func TestParseRange(t *testing.T) {
	tests := []struct {
		in      string
		want    listRange
		wantErr bool
	}{
		{in: "", want: listRange{}},
		{in: "version ..; max=10, order=desc", want: listRange{Field: "version", Max: 10, Desc: true}},
		{in: "version ..; order=desc,max=1", want: listRange{Field: "version", Max: 1, Desc: true}},
		{in: "version ..; max=10,order=desc", want: listRange{Field: "version", Max: 10, Desc: true}},
		{in: "version ..;max=10;order=desc", want: listRange{Field: "version", Max: 10, Desc: true}},
		{in: "  version   ..   max=10 order=desc ", want: listRange{Field: "version", Max: 10, Desc: true}},
		{in: "..; max=10,order=desc", want: listRange{Max: 10, Desc: true}},
		{in: "id ]01234567-89ab..; max=200", want: listRange{Field: "id", Start: "01234567-89ab", StartExclusive: true, Max: 200}},
		{in: "version 3..9", want: listRange{Field: "version", Start: "3", End: "9"}},
		{in: "version 3..9; order=asc", want: listRange{Field: "version", Start: "3", End: "9"}},
		{in: "name ..; max=5000", want: listRange{Field: "name", Max: maxPageSize}},
		{in: "version", wantErr: true},
		{in: "version ..; max=0", wantErr: true},
		{in: "version ..; max=ten", wantErr: true},
		{in: "version ..; order=sideways", wantErr: true},
		{in: "version ..; limit=3", wantErr: true},
		{in: "a b c..", wantErr: true},
		{in: "Version ..", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseRange(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseRange(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if err == nil && got != tt.want {
				t.Fatalf("parseRange(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzParseRange(f *testing.F) {
	for _, seed := range []string{
		"version ..; max=10, order=desc", "version ..; order=desc,max=1", "version ..; max=10,order=desc",
		"id ]abc..; max=200", "..", "version 1..9", "name a..z; order=asc", ";..;", "x ..]; max=1",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := parseRange(s)
		if err != nil {
			return
		}
		if r.Max < 0 || r.Max > maxPageSize {
			t.Fatalf("parseRange(%q).Max = %d out of bounds", s, r.Max)
		}
		// What we print as Next-Range must read back as the same range.
		again, err := parseRange(r.String())
		if err != nil {
			t.Fatalf("parseRange(%q) -> %q does not parse: %v", s, r.String(), err)
		}
		if again != r {
			t.Fatalf("round trip of %q: %+v -> %q -> %+v", s, r, r.String(), again)
		}
	})
}

func TestPaginate(t *testing.T) {
	versions := make([]int, 42)
	for i := range versions {
		versions[i] = i + 1
	}
	spec := listSpec[int]{fields: []string{"version", "id"}, key: func(v int, field string) rangeKey {
		if field == "id" {
			return textKey("id-" + strconv.Itoa(100+v))
		}
		return numKey(v)
	}}
	tests := []struct {
		name      string
		rng       string
		first     int
		n         int
		content   string
		next      string
		wantError bool
	}{
		{name: "default is everything ascending", rng: "", first: 1, n: 42, content: "version 1..42"},
		{name: "cli page", rng: "version ..; max=15, order=desc", first: 42, n: 15, content: "version 42..28", next: "version ]28..; max=15, order=desc"},
		{name: "next page", rng: "version ]28..; max=15, order=desc", first: 27, n: 15, content: "version 27..13", next: "version ]13..; max=15, order=desc"},
		{name: "last page", rng: "version ]13..; max=15, order=desc", first: 12, n: 12, content: "version 12..1"},
		{name: "bounded", rng: "version 5..7", first: 5, n: 3, content: "version 5..7"},
		{name: "inclusive start desc", rng: "version 10..; max=2, order=desc", first: 10, n: 2, content: "version 10..9", next: "version ]9..; max=2, order=desc"},
		{name: "by id", rng: "id ..; max=1", first: 1, n: 1, content: "id id-101..id-101", next: "id ]id-101..; max=1"},
		{name: "unknown field", rng: "name ..", wantError: true},
		{name: "non-numeric version", rng: "version abc..", wantError: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := parseRange(tt.rng)
			if err != nil {
				t.Fatal(err)
			}
			p, err := paginate(spec, versions, r)
			if (err != nil) != tt.wantError {
				t.Fatalf("paginate error = %v, wantError %v", err, tt.wantError)
			}
			if err != nil {
				return
			}
			if len(p.items) != tt.n || p.items[0] != tt.first {
				t.Fatalf("page = %v, want %d items from %d", p.items, tt.n, tt.first)
			}
			if p.contentRange != tt.content || p.next != tt.next {
				t.Fatalf("Content-Range %q Next-Range %q, want %q %q", p.contentRange, p.next, tt.content, tt.next)
			}
		})
	}
}
