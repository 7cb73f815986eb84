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

// walk calls fn for each change of the dyno's state, in order, from its start
// until a change after until; fn returns false to stop early.
func (d *dyno) walk(until time.Time, fn func(at time.Time, state string, lines []logLine) bool) {
	kind, output, dur := d.boot()
	t := d.startedAt
	for n := 0; !t.After(until) && n < maxBoots; n++ {
		var lines []logLine
		switch {
		case n > 0:
			lines = append(lines, herokuLine(t, d.name, "State changed from crashed to starting"))
		case d.stopped:
			lines = append(lines, herokuLine(t, d.name, "State changed from down to starting"))
		}
		lines = append(lines, herokuLine(t, d.name, "Starting process with command `"+d.command+"`"))
		if !fn(t, "starting", lines) {
			return
		}
		var crashed time.Time
		switch kind {
		case bootOK:
			up := t.Add(dur)
			fn(up, "up", d.upLines(up))
			return
		case bootCrash:
			crashed = t.Add(crashAfter)
			lines := d.printed(crashed, output)
			lines = append(lines,
				herokuLine(crashed, d.name, "Process exited with status 1"),
				herokuLine(crashed, d.name, "State changed from starting to crashed"))
			if !fn(crashed, "crashed", lines) {
				return
			}
		case bootTimeout:
			printedAt := t.Add(crashAfter)
			if !fn(printedAt, "starting", d.printed(printedAt, output)) {
				return
			}
			crashed = t.Add(bootTimeLimit)
			if !fn(crashed, "crashed", []logLine{
				herokuLine(crashed, d.name, "Error R10 (Boot timeout) -> Web process failed to bind to $PORT within 60 seconds of launch"),
				herokuLine(crashed, d.name, "Stopping process with SIGKILL"),
				herokuLine(crashed, d.name, "Process exited with status 137"),
				herokuLine(crashed, d.name, "State changed from starting to crashed"),
			}) {
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
	d.walk(t, func(at time.Time, s string, _ []logLine) bool {
		if at.After(t) {
			return false
		}
		if s != state {
			since = at
		}
		state = s
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
	d.walk(to, func(at time.Time, _ string, ls []logLine) bool {
		if at.After(to) {
			return false
		}
		if at.After(from) {
			lines = append(lines, ls...)
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
