package sandbox

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/google/uuid"
)

// trafficWindow bounds how much router traffic one catch-up generates, so a server
// left idle for a day answers its next request at once.
const trafficWindow = time.Hour

// sync brings the app up to now: it runs what was scheduled (build completions) and
// logs what happened in between. Every handler calls it before it reads or changes
// the app, so the state it sees and the lines in the log agree.
func (a *app) sync(now time.Time) {
	if !now.After(a.cursor) {
		return
	}
	for len(a.pending) > 0 && !a.pending[0].at.After(now) {
		ev := a.pending[0]
		a.pending = a.pending[1:]
		if ev.at.After(a.cursor) {
			a.generate(a.cursor, ev.at)
			a.cursor = ev.at
		}
		ev.fn(ev.at)
	}
	a.generate(a.cursor, now)
	a.cursor = now
}

// generate logs (from, to]: the past lines seeded at setup, dyno state changes,
// R14s and router traffic, in time order.
func (a *app) generate(from, to time.Time) {
	var lines []logLine
	for len(a.seeds) > 0 && !a.seeds[0].at.After(to) {
		if a.seeds[0].at.After(from) {
			lines = append(lines, a.seeds[0])
		}
		a.seeds = a.seeds[1:]
	}
	for _, d := range a.dynos {
		lines = append(lines, d.dynoLines(from, to)...)
	}
	lines = append(lines, a.trafficLines(from, to)...)
	sortLines(lines)
	for _, l := range lines {
		a.logs.add(l)
	}
}

// trafficLines simulates one request every traffic.every, on a grid of absolute
// times so the same moment always gets the same request however the windows fall.
func (a *app) trafficLines(from, to time.Time) []logLine {
	every := a.traffic.Every.d()
	if every <= 0 {
		return nil
	}
	if to.Sub(from) > trafficWindow {
		from = to.Add(-trafficWindow)
	}
	first := time.Unix(0, (from.UnixNano()/int64(every)+1)*int64(every))
	webs := a.dynosOf("web")
	var lines []logLine
	for t := first; !t.After(to); t = t.Add(every) {
		lines = append(lines, a.request(t, webs)...)
	}
	return lines
}

var forwardedFor = []string{"203.0.113.7", "198.51.100.23", "192.0.2.144", "203.0.113.58", "198.51.100.91"}

// request is the router's view of one request at t.
func (a *app) request(t time.Time, webs []*dyno) []logLine {
	h := fnv.New64a()
	h.Write([]byte(a.id))
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(t.UnixNano()))
	h.Write(buf[:])
	r := h.Sum64()
	path := a.traffic.Paths[r%uint64(len(a.traffic.Paths))]
	fwd := forwardedFor[(r>>8)%uint64(len(forwardedFor))]
	var id uuid.UUID
	binary.BigEndian.PutUint64(id[:8], r)
	binary.BigEndian.PutUint64(id[8:], r*0x9E3779B97F4A7C15)
	id[6] = id[6]&0x0f | 0x40
	id[8] = id[8]&0x3f | 0x80
	base := fmt.Sprintf(`method=GET path="%s" host=%s request_id=%s fwd="%s"`, path, a.webHost(), id, fwd)
	routerErr := func(code, desc string) []logLine {
		at := "error"
		if code == "H80" {
			at = "info"
		}
		return []logLine{herokuLine(t, "router", fmt.Sprintf(
			`at=%s code=%s desc="%s" %s dyno= connect= service= status=503 bytes= protocol=https`, at, code, desc, base))}
	}
	if a.maintenance {
		return routerErr("H80", "Maintenance mode")
	}
	if len(webs) == 0 {
		return routerErr("H14", "No web processes running")
	}
	var up []*dyno
	starting := false
	for _, d := range webs {
		switch s, _ := d.stateAt(t); s {
		case "up":
			up = append(up, d)
		case "starting":
			starting = true
		}
	}
	if len(up) == 0 {
		if starting {
			return nil // the router holds the request until a dyno boots
		}
		return routerErr("H10", "App crashed")
	}
	d := up[(r>>16)%uint64(len(up))]
	if slices.Contains(a.traffic.SlowPaths, path) || (d.overQuota(t) && (r>>24)%4 == 0) {
		return []logLine{herokuLine(t, "router", fmt.Sprintf(
			`at=error code=H12 desc="Request timeout" %s dyno=%s connect=1ms service=30000ms status=503 bytes=0 protocol=https`, base, d.name))}
	}
	service := 12 + int((r>>32)%180)
	if d.overQuota(t) {
		service *= 9 // swapping
	}
	bytes := 900 + int((r>>40)%12000)
	return []logLine{
		herokuLine(t, "router", fmt.Sprintf(
			`at=info %s dyno=%s connect=0ms service=%dms status=200 bytes=%d protocol=https`, base, d.name, service, bytes)),
		appLine(t, d.name, fmt.Sprintf(`10.1.%d.%d - - [%s] "GET %s HTTP/1.1" 200 %d "-" "Mozilla/5.0"`,
			(r>>48)%256, (r>>56)%256, t.UTC().Format("02/Jan/2006:15:04:05 +0000"), path, bytes-180)),
	}
}
