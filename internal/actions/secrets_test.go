package actions_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dynodoc/dynodoc/internal/actions"
	"github.com/dynodoc/dynodoc/internal/checks"
	"github.com/dynodoc/dynodoc/internal/heroku"
)

const secretValue = "rediss://default:s3cr3t-Pa55w0rd@cache.example.net:6380"

// A config value never shows in a preview, a result or an error, even when the API
// echoes it back.
func TestConfigValueNeverShows(t *testing.T) {
	ctx := context.Background()
	set, _ := actions.Get("config.set")

	w := newWorld(t, "config-drift")
	env := w.env
	env.Args = map[string]string{"key": "REDIS_URL", "value": secretValue}
	p, err := actions.Describe(ctx, set, env)
	if err != nil {
		t.Fatal(err)
	}
	r := actions.Run(ctx, set, env)
	if r.Status != checks.Pass {
		t.Fatalf("config.set: %s: %s", r.Status, r.Summary)
	}
	env.App = "no-such-app"
	pErr := func() string {
		_, err := actions.Describe(ctx, set, env)
		if err == nil {
			t.Fatal("a preview on a missing app succeeded")
		}
		return err.Error()
	}()
	rErr := actions.Run(ctx, set, env)

	// A server that puts the value in its error message.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(422)
		// A long message, so that a cut at its end would fall inside the value.
		msg := "bad config " + strings.Repeat("x", 140) + ": " + string(body)
		json.NewEncoder(w).Encode(map[string]string{"id": "invalid_params", "message": msg})
	}))
	defer echo.Close()
	vars := map[string]string{"HEROKU_HOST": echo.URL, "HEROKU_API_KEY": "k-0123456789"}
	c, err := heroku.New(heroku.Options{Getenv: func(k string) string { return vars[k] }, Home: t.TempDir(), Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	echoEnv := checks.Env{Client: c, App: "shop", Args: env.Args}
	rEcho := actions.Run(ctx, set, echoEnv)
	if rEcho.Status != checks.Error || !strings.Contains(rEcho.Summary, "422 invalid_params") {
		t.Errorf("echoing server: %s: %s", rEcho.Status, rEcho.Summary)
	}

	texts := map[string]string{"preview": p.String(), "preview error": pErr}
	for name, r := range map[string]checks.Result{"result": r, "error result": rErr, "echoed error": rEcho} {
		b, _ := json.Marshal(r)
		texts[name] = string(b)
	}
	for name, text := range texts {
		if strings.Contains(text, secretValue) || strings.Contains(text, "s3cr3t") || strings.Contains(text, w.sb.Token()) {
			t.Errorf("the %s shows a secret: %s", name, text)
		}
	}
}
