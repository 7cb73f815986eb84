package cli

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/dynodoc/dynodoc/internal/engine"
	"github.com/dynodoc/dynodoc/internal/runbook"
)

// stageTimeout bounds the pipeline look-up at the start of a walk: the walk must start
// at once, and the declared environments still hold when the API is slow.
const stageTimeout = 2 * time.Second

// pipelineStages asks Heroku for the pipeline stage of every app the session names, in
// parallel. The stage wins over the runbook's declaration: an app in the production
// stage is production, whatever a param says, and its risky steps get the destructive
// gate. A failed look-up keeps the declaration and says so.
func pipelineStages(ctx context.Context, b *backend, rb *runbook.Runbook, params map[string]string, warn io.Writer) map[string]string {
	var apps []string
	declared := map[string]string{}
	for _, p := range rb.Params {
		if v := params[p.Name]; v != "" && p.Kind == "app" {
			apps = append(apps, v)
			declared[v] = p.Env
		}
	}
	apps = append(apps, engine.NamedApps(rb)...) // a runbook without app params: its own
	if len(apps) == 0 {
		return nil
	}
	client, err := b.heroku()
	if err != nil {
		fmt.Fprintf(warn, "dynodoc: %s\ndynodoc: built-in checks and actions cannot run without it; shell blocks still can (dynodoc train needs no account)\n", b.mask(err.Error()))
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, stageTimeout)
	defer cancel()
	var (
		mu     sync.Mutex
		wg     sync.WaitGroup
		stages = map[string]string{}
	)
	for _, app := range apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stage, err := client.AppEnv(ctx, app)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				fmt.Fprintf(warn, "dynodoc: could not read the pipeline stage of %s (%s); going by the runbook: %s\n", app, b.mask(err.Error()), orNone(declared[app]))
			case stage != "":
				stages[app] = stage
				if declared[app] != "" && declared[app] != stage {
					fmt.Fprintf(warn, "dynodoc: %s is in the %s stage of its pipeline, though the runbook calls it %s: gates treat it as %s\n", app, stage, declared[app], stage)
				}
			}
		}()
	}
	wg.Wait()
	return stages
}

func orNone(env string) string {
	if env == "" {
		return "no environment"
	}
	return env
}
