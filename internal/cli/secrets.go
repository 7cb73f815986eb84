package cli

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/journal"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// configTimeout bounds the config var look-up at the start of a walk, as stageTimeout
// bounds the pipeline's: the walk must start even when the API is slow.
const configTimeout = 3 * time.Second

// walkApps are the apps a walk is about: its app params' values and the apps whose
// environment the session knows (a drill's).
func walkApps(rb *runbook.Runbook, cfg engine.Config) []string {
	set := map[string]bool{}
	for _, p := range rb.Params {
		if v := cfg.Params[p.Name]; v != "" && p.Kind == "app" && engine.ValidAppName(v) {
			set[v] = true
		}
	}
	for app := range cfg.AppEnvs {
		if engine.ValidAppName(app) {
			set[app] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// loadConfigSecrets gives the masker the config var values of the session's apps, so
// that a block printing them (heroku config:get, config --shell, env) shows •••• on
// screen, in the journal and in the report. The app names stay readable (Heroku keeps
// them in HEROKU_APP_NAME). Without a token there is nothing to load, and the
// pipeline look-up has already said why; a failed look-up is named, since the values
// of that app are then masked only where they look like secrets.
func loadConfigSecrets(ctx context.Context, b *backend, apps []string, warn io.Writer) {
	if len(apps) == 0 {
		return
	}
	b.masker.Allow(apps...)
	client, err := b.heroku()
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, configTimeout)
	defer cancel()
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, app := range apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vars, err := client.Service.ConfigVarInfoForApp(ctx, app)
			if err != nil {
				mu.Lock()
				defer mu.Unlock()
				fmt.Fprintf(warn, "dynodoc: could not read the config vars of %s (%s): their values are masked only where they look like secrets\n", app, b.mask(err.Error()))
				return
			}
			values := make([]string, 0, len(vars))
			for _, v := range vars {
				if v != nil {
					values = append(values, *v)
				}
			}
			b.masker.AddAll(values...)
		}()
	}
	wg.Wait()
}

// screenMask is what --show-secrets leaves masked on screen: the API token only,
// known by value. The journal masks everything whatever the flag.
func screenMask(token string) func(string) string {
	return journal.NewMasker(token).MaskKnown
}

const showSecretsHelp = "show config var values on screen (the journal and the report still mask them)"
