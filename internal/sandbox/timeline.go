package sandbox

import (
	"fmt"
	"hash/fnv"
	"math"
	"strings"
	"time"
)

// A dyno's life is derived from when its process started and what its release
// does, so that its state at any moment, and the lines it logs, follow from the
// clock alone. Like the platform, a crashed dyno is restarted at once the first
// time and then after a cool-off.
const (
	defaultBoot   = 6 * time.Second
	crashAfter    = 3 * time.Second
	bootTimeLimit = 60 * time.Second
	crashCooldown = 10 * time.Minute
	memInterval   = 20 * time.Second
	maxBoots      = 10000
)

type bootKind int

const (
	bootOK bootKind = iota
	bootCrash
	bootTimeout
)

// boot says how the dyno's process starts, what it prints when it fails, and how
// long a good boot takes.
func (d *dyno) boot() (bootKind, []string, time.Duration) {
	spec := d.release.slug.spec
	dur := defaultBoot
	if spec.BootSeconds > 0 {
		dur = time.Duration(spec.BootSeconds) * time.Second
	}
	fail := func(out []string) (bootKind, []string, time.Duration) {
		if d.typ == "web" {
			return bootTimeout, out, dur
		}
		return bootCrash, out, dur
	}
	switch spec.Boot {
	case "crash":
		return bootCrash, spec.Output, dur
	case "boot-timeout":
		return fail(spec.Output)
	}
	for _, k := range spec.Requires {
		if _, ok := d.release.config[k]; !ok {
			return fail(spec.MissingOutput)
		}
	}
	return bootOK, nil, dur
}

// lifeEvent is one change in a dyno's life.
type lifeEvent struct {
	at    time.Time
	state string
	kind  lifeKind
	boot  int // which boot of this life: 0 is the first
}

type lifeKind int

const (
	evStart   lifeKind = iota // the process starts
	evUp                      // it bound $PORT (or, for other types, kept running)
	evPrinted                 // it printed why it cannot boot, and hangs
	evCrash                   // it exited
	evTimeout                 // R10: the platform killed it for not binding $PORT
)

// walk calls fn for each event of the dyno's life, in order, from its start until
// an event after until; fn returns false to stop early. It allocates nothing, so
// state queries stay cheap; lines builds the log lines of an event on demand.
func (d *dyno) walk(until time.Time, fn func(ev lifeEvent) bool) {
	kind, _, dur := d.boot()
	t := d.startedAt
	for n := 0; !t.After(until) && n < maxBoots; n++ {
		if !fn(lifeEvent{at: t, state: "starting", kind: evStart, boot: n}) {
			return
		}
		var crashed time.Time
		switch kind {
		case bootOK:
			fn(lifeEvent{at: t.Add(dur), state: "up", kind: evUp, boot: n})
			return
		case bootCrash:
			crashed = t.Add(crashAfter)
			if !fn(lifeEvent{at: crashed, state: "crashed", kind: evCrash, boot: n}) {
				return
			}
		case bootTimeout:
			if !fn(lifeEvent{at: t.Add(crashAfter), state: "starting", kind: evPrinted, boot: n}) {
				return
			}
			crashed = t.Add(bootTimeLimit)
			if !fn(lifeEvent{at: crashed, state: "crashed", kind: evTimeout, boot: n}) {
				return
			}
		}
		if n == 0 {
			t = crashed.Add(time.Second)
		} else {
			t = crashed.Add(crashCooldown)
		}
	}
}

// lines are the log lines of one event.
func (d *dyno) lines(ev lifeEvent) []logLine {
	at := ev.at
	switch ev.kind {
	case evStart:
		var lines []logLine
		switch {
		case ev.boot > 0:
			lines = append(lines, herokuLine(at, d.name, "State changed from crashed to starting"))
		case d.stopped:
			lines = append(lines, herokuLine(at, d.name, "State changed from down to starting"))
		}
		return append(lines, herokuLine(at, d.name, "Starting process with command `"+d.command+"`"))
	case evUp:
		return d.upLines(at)
	case evPrinted:
		_, output, _ := d.boot()
		return d.printed(at, output)
	case evCrash:
		_, output, _ := d.boot()
		return append(d.printed(at, output),
			herokuLine(at, d.name, "Process exited with status 1"),
			herokuLine(at, d.name, "State changed from starting to crashed"))
	case evTimeout:
		return []logLine{
			herokuLine(at, d.name, "Error R10 (Boot timeout) -> Web process failed to bind to $PORT within 60 seconds of launch"),
			herokuLine(at, d.name, "Stopping process with SIGKILL"),
			herokuLine(at, d.name, "Process exited with status 137"),
			herokuLine(at, d.name, "State changed from starting to crashed"),
		}
	}
	return nil
}

func (d *dyno) printed(at time.Time, output []string) []logLine {
	lines := make([]logLine, 0, len(output))
	for _, o := range output {
		lines = append(lines, appLine(at, d.name, o))
	}
	return lines
}

func (d *dyno) upLines(at time.Time) []logLine {
	var lines []logLine
	if strings.HasPrefix(d.command, "gunicorn") {
		stamp := at.UTC().Format("[2006-01-02 15:04:05 +0000]")
		lines = append(lines,
			appLine(at, d.name, stamp+" [2] [INFO] Starting gunicorn 23.0.0"),
			appLine(at, d.name, fmt.Sprintf("%s [2] [INFO] Listening at: http://0.0.0.0:%d (2)", stamp, d.port())),
			appLine(at, d.name, stamp+" [2] [INFO] Using worker: sync"))
	}
	return append(lines, herokuLine(at, d.name, "State changed from starting to up"))
}

// port is the $PORT the platform gave this dyno.
func (d *dyno) port() int {
	h := fnv.New32a()
	h.Write([]byte(d.id))
	return 10000 + int(h.Sum32()%50000)
}

// stateAt returns the dyno's state at t and since when it has been in it.
func (d *dyno) stateAt(t time.Time) (string, time.Time) {
	state, since := "starting", d.restartAt
	if d.stopped {
		state = "down"
	}
	if t.Before(d.startedAt) {
		return state, since
	}
	d.walk(t, func(ev lifeEvent) bool {
		if ev.at.After(t) {
			return false
		}
		if ev.state != state {
			since = ev.at
		}
		state = ev.state
		return true
	})
	return state, since
}

// memoryMB is the dyno's memory use at t, and whether its code leaks at all.
func (d *dyno) memoryMB(t time.Time) (int, bool) {
	m := d.release.slug.spec.Memory
	if m == nil || d.typ != "web" {
		return 0, false
	}
	kind, _, dur := d.boot()
	upAt := d.startedAt.Add(dur)
	if kind != bootOK || t.Before(upAt) {
		return 0, false
	}
	mb := float64(m.BaseMB) + m.LeakMBPerMin*t.Sub(upAt).Minutes()
	return int(math.Min(mb, float64(m.PlateauMB))), true
}

// leaksPastQuota reports whether the dyno's code will outgrow its size's quota.
func (d *dyno) leaksPastQuota() bool {
	_, ok := d.overQuotaFrom()
	return ok
}

// overQuotaFrom returns when the dyno's memory first exceeds its size's quota, if
// it ever does.
func (d *dyno) overQuotaFrom() (time.Time, bool) {
	m := d.release.slug.spec.Memory
	if m == nil || d.typ != "web" || m.LeakMBPerMin <= 0 {
		return time.Time{}, false
	}
	size, _ := lookupSize(d.size)
	quota := size.quotaMB()
	kind, _, dur := d.boot()
	if kind != bootOK || m.PlateauMB <= quota {
		return time.Time{}, false
	}
	upAt := d.startedAt.Add(dur)
	after := time.Duration(math.Max(0, float64(quota-m.BaseMB)/m.LeakMBPerMin) * float64(time.Minute))
	return upAt.Add(after).Truncate(time.Second).Add(time.Second), true
}

// memoryLines are the R14 lines a leaking dyno logs in (from, to].
func (d *dyno) memoryLines(from, to time.Time) []logLine {
	start, ok := d.overQuotaFrom()
	if !ok || !to.After(start) {
		return nil
	}
	size, _ := lookupSize(d.size)
	quota := float64(size.quotaMB())
	k := int64(0)
	if from.After(start) {
		k = int64(from.Sub(start) / memInterval)
	}
	var lines []logLine
	for t := start.Add(time.Duration(k) * memInterval); !t.After(to); t = t.Add(memInterval) {
		if !t.After(from) {
			continue
		}
		mb, _ := d.memoryMB(t)
		lines = append(lines,
			herokuLine(t, d.name, fmt.Sprintf("Process running mem=%dM(%.1f%%)", mb, 100*float64(mb)/quota)),
			herokuLine(t, d.name, "Error R14 (Memory quota exceeded)"))
	}
	return lines
}

// dynoLines are the lines the dyno logs in (from, to].
func (d *dyno) dynoLines(from, to time.Time) []logLine {
	var lines []logLine
	d.walk(to, func(ev lifeEvent) bool {
		if ev.at.After(to) {
			return false
		}
		if ev.at.After(from) {
			lines = append(lines, d.lines(ev)...)
		}
		return true
	})
	return append(lines, d.memoryLines(from, to)...)
}

// overQuota reports whether the dyno is over its memory quota at t.
func (d *dyno) overQuota(t time.Time) bool {
	start, ok := d.overQuotaFrom()
	return ok && !t.Before(start)
}
