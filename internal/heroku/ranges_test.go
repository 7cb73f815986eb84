package heroku

import "testing"

func TestParseRange(t *testing.T) {
	tests := []struct {
		in      string
		want    Range
		wantErr bool
	}{
		{"version ..; max=10, order=desc", Range{Field: "version", Max: 10, Desc: true, Order: true}, false},
		{"version ..; order=desc,max=1", Range{Field: "version", Max: 1, Desc: true, Order: true}, false},
		{"version ..; max=10,order=desc", Range{Field: "version", Max: 10, Desc: true, Order: true}, false},
		{"version ]42..; max=200, order=desc", Range{Field: "version", First: "]42", Max: 200, Desc: true, Order: true}, false},
		{"id 01234..abcd; max=5", Range{Field: "id", First: "01234", Last: "abcd", Max: 5}, false},
		{"version .. max=3 order=asc", Range{Field: "version", Max: 3, Order: true}, false},
		{"version ..max=3", Range{Field: "version", Max: 3}, false},
		{"version ..", Range{Field: "version"}, false},
		{"version", Range{}, true},
		{"..; max=1", Range{}, true},
		{"version 1-2", Range{}, true},
		{"version ..; max=0", Range{}, true},
		{"version ..; max=ten", Range{}, true},
		{"version ..; order=up", Range{}, true},
		{"version ..; max", Range{}, true},
	}
	for _, tt := range tests {
		got, err := ParseRange(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseRange(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if !tt.wantErr && got != tt.want {
			t.Errorf("ParseRange(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"version ..; max=10, order=desc", "version ..; order=desc,max=1", "id ]a..b; max=5", "version ..max=3", "x ..;;,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRange(s)
		if err != nil {
			return
		}
		// What parses, formats into something that parses to the same range.
		r2, err := ParseRange(r.String())
		if err != nil {
			t.Fatalf("ParseRange(%q) = %+v, but its String %q does not parse: %v", s, r, r.String(), err)
		}
		if r2 != r {
			t.Fatalf("round trip of %q: %+v became %+v via %q", s, r, r2, r.String())
		}
	})
}
