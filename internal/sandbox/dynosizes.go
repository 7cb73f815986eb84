package sandbox

import "strings"

// dynoSize is one entry of GET /dyno-sizes. Memory is the quota R14 is measured
// against.
type dynoSize struct {
	name       string
	memoryGB   float64
	compute    int
	dynoUnits  int
	dedicated  bool
	monthCents int
}

// dynoSizes are the Common Runtime sizes, as the Heroku CLI prices them.
var dynoSizes = []dynoSize{
	{name: "Eco", memoryGB: 0.5, compute: 1, dynoUnits: 0, monthCents: 0},
	{name: "Basic", memoryGB: 0.5, compute: 1, dynoUnits: 0, monthCents: 700},
	{name: "Standard-1X", memoryGB: 0.5, compute: 1, dynoUnits: 1, monthCents: 2500},
	{name: "Standard-2X", memoryGB: 1, compute: 2, dynoUnits: 2, monthCents: 5000},
	{name: "Performance-M", memoryGB: 2.5, compute: 2, dynoUnits: 8, dedicated: true, monthCents: 25000},
	{name: "Performance-L", memoryGB: 14, compute: 8, dynoUnits: 16, dedicated: true, monthCents: 50000},
	{name: "Performance-L-RAM", memoryGB: 30, compute: 4, dynoUnits: 16, dedicated: true, monthCents: 50000},
	{name: "Performance-XL", memoryGB: 62, compute: 8, dynoUnits: 24, dedicated: true, monthCents: 75000},
	{name: "Performance-2XL", memoryGB: 126, compute: 16, dynoUnits: 48, dedicated: true, monthCents: 150000},
}

// lookupSize finds a size by name, ignoring case as the API does ("standard-2x").
func lookupSize(name string) (dynoSize, bool) {
	for _, s := range dynoSizes {
		if strings.EqualFold(s.name, name) {
			return s, true
		}
	}
	return dynoSize{}, false
}

// quotaMB is the memory quota of a size in megabytes.
func (s dynoSize) quotaMB() int { return int(s.memoryGB * 1024) }
