package guard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/dynodoc/dynodoc/internal/heroku"
)

// Look-up bounds: the gate must come up at once, and a stage changes rarely.
const (
	stageTimeout = 2 * time.Second
	stageTTL     = 5 * time.Minute
	maxCache     = 1 << 20
)

// Environment is what the guard knows of an app's environment.
type Environment struct {
	Name string // "production", "staging", ...; "" when the app is in no pipeline or nobody can say
	// Known is false when there was no way to ask: no API token, and the config file
	// does not name the app. See docs/GUARD.md for why that is not counted as production.
	Known  bool
	Source string // how it is known, for the gate: "pipeline stage", "config.yaml (*-prod)"
}

// Production reports whether the app is to be treated as production.
func (e Environment) Production() bool { return e.Name == "production" }

// Label is the environment as the gate names it.
func (e Environment) Label() string {
	switch {
	case e.Name != "":
		return e.Name
	case e.Known:
		return "no pipeline stage"
	}
	return "environment unknown"
}

// StageFunc reads an app's pipeline stage ("" when it is in no pipeline). An error
// wrapping heroku.ErrNoToken means there is no token to ask with.
type StageFunc func(ctx context.Context, app string) (string, error)

// APIStage asks the Platform API with the token the Heroku CLI uses (HEROKU_API_KEY,
// else ~/.netrc).
func APIStage(getenv func(string) string, userAgent string) StageFunc {
	return func(ctx context.Context, app string) (string, error) {
		c, err := heroku.New(heroku.Options{Getenv: getenv, Home: getenv("HOME"), UserAgent: userAgent, Timeout: stageTimeout})
		if err != nil {
			return "", err
		}
		return c.AppEnv(ctx, app)
	}
}

// Envs finds apps' environments: the config file first (it can only raise), then the
// pipeline stage, cached for a few minutes.
type Envs struct {
	Config    Config
	Stage     StageFunc
	CachePath string // "" caches nothing
	CacheKey  string // tells APIs apart (HEROKU_HOST), so that a sandbox's stages stay its own
	Now       func() time.Time
}

// CachePath is $XDG_CACHE_HOME/dynodoc/stages.json, else ~/.cache/dynodoc/stages.json.
func CachePath(getenv func(string) string) string {
	if base := getenv("XDG_CACHE_HOME"); filepath.IsAbs(base) {
		return filepath.Join(base, "dynodoc", "stages.json")
	}
	if home := getenv("HOME"); filepath.IsAbs(home) {
		return filepath.Join(home, ".cache", "dynodoc", "stages.json")
	}
	return ""
}

// Of returns app's environment. A stage that cannot be read although there is a token
// counts as production: fail closed (DESIGN.md).
func (e Envs) Of(ctx context.Context, app string) Environment {
	if app == "" {
		return Environment{}
	}
	name := "the config file"
	if e.Config.Path != "" {
		name = filepath.Base(e.Config.Path)
	}
	if e.Config.Broken != "" {
		return Environment{Name: "production", Known: true, Source: name + " cannot be read (" + oneLine(e.Config.Broken) + "): every app counts as production"}
	}
	if pat := e.Config.IsProduction(app); pat != "" {
		src := name + " names it production"
		if pat != app {
			src = fmt.Sprintf("%s names it production (%s)", name, pat)
		}
		return Environment{Name: "production", Known: true, Source: src}
	}
	key := e.CacheKey + " " + app
	cache := e.readCache()
	if c, ok := cache[key]; ok && e.now().Sub(c.At) < stageTTL && c.At.Before(e.now().Add(time.Minute)) {
		return stageEnv(c.Stage, "pipeline stage, read "+e.now().Sub(c.At).Round(time.Second).String()+" ago")
	}
	if e.Stage == nil {
		return Environment{Source: "no way to read the pipeline stage, and " + name + " does not name it"}
	}
	ctx, cancel := context.WithTimeout(ctx, stageTimeout)
	defer cancel()
	stage, err := e.Stage(ctx, app)
	switch {
	case errors.Is(err, heroku.ErrNoToken):
		return Environment{Source: "no API token to read the pipeline stage, and " + name + " does not name it"}
	case err != nil:
		return Environment{Name: "production", Known: true, Source: "the pipeline stage could not be read (" + oneLine(err.Error()) + "): counted as production"}
	}
	cache[key] = cached{Stage: stage, At: e.now()}
	e.writeCache(cache)
	return stageEnv(stage, "pipeline stage")
}

func stageEnv(stage, src string) Environment {
	if stage == "" {
		return Environment{Known: true, Source: "in no pipeline"}
	}
	return Environment{Name: stage, Known: true, Source: src}
}

func (e Envs) now() time.Time {
	if e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

type cached struct {
	Stage string    `json:"stage"`
	At    time.Time `json:"at"`
}

// readCache reads the stage cache; a missing or damaged one is empty.
func (e Envs) readCache() map[string]cached {
	m := map[string]cached{}
	if e.CachePath == "" {
		return m
	}
	f, err := os.Open(e.CachePath)
	if err != nil {
		return m
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCache+1))
	if err != nil || len(data) > maxCache || json.Unmarshal(data, &m) != nil {
		return map[string]cached{}
	}
	return m
}

// writeCache keeps the fresh entries, replacing the file atomically. A cache that
// cannot be written costs a look-up next time, nothing more.
func (e Envs) writeCache(m map[string]cached) {
	if e.CachePath == "" {
		return
	}
	for k, c := range m {
		if e.now().Sub(c.At) >= stageTTL {
			delete(m, k)
		}
	}
	data, err := json.Marshal(m)
	if err != nil {
		return
	}
	dir := filepath.Dir(e.CachePath)
	if os.MkdirAll(dir, 0o700) != nil {
		return
	}
	tmp, err := os.CreateTemp(dir, ".stages-*.json")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), e.CachePath) != nil {
		os.Remove(tmp.Name())
	}
}
