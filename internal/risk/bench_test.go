package risk

import "testing"

// benchCommands is a mix of what runbooks run: reads, changes, pipelines, SQL.
var benchCommands = []string{
	`heroku ps -a "$APP"`,
	`heroku logs --tail -n 200 -a "$APP"`,
	`heroku releases -n 5 -a "$APP"`,
	`heroku releases:rollback --app "$APP"`,
	`heroku ps:scale web=2 -a "$APP"`,
	`heroku config:unset OLD_FLAG -a "$APP"`,
	`curl -s https://status.heroku.com/api/v4/current-status | jq '.status[] | select(.status != "green")'`,
	`heroku pg:psql -a "$APP" -c "select count(*) from pg_stat_activity"`,
	`git push heroku main`,
	`heroku logs -n 1500 -a "$APP" | grep -E 'code=H1[0-9]' | awk '{print $1}' | sort | uniq -c`,
}

func BenchmarkClassify(b *testing.B) {
	params := map[string]string{"APP": "acme-prod"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Classify(benchCommands[i%len(benchCommands)], params)
	}
}

func BenchmarkExpandForDisplay(b *testing.B) {
	params := map[string]string{"APP": "acme-prod"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ExpandForDisplay(benchCommands[i%len(benchCommands)], params)
	}
}
