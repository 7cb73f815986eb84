package checks

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed prices.yaml
var pricesYAML []byte

// DynoPrice is one dyno size's list price.
type DynoPrice struct {
	Monthly   float64 `yaml:"monthly"`
	MemoryMB  int     `yaml:"memory_mb"`
	Sleeps    bool    `yaml:"sleeps"`
	Dedicated bool    `yaml:"dedicated"`
	Note      string  `yaml:"note"`
}

// PriceTable is the dated price list shipped with dynodoc (prices.yaml).
type PriceTable struct {
	AsOf       string                        `yaml:"as_of"`
	Source     string                        `yaml:"source"`
	Currency   string                        `yaml:"currency"`
	Dynos      map[string]DynoPrice          `yaml:"dynos"`
	Addons     map[string]map[string]float64 `yaml:"addons"`
	SelfHosted struct {
		VMPerGBMonthly  float64 `yaml:"vm_per_gb_monthly"`
		DatabaseMonthly float64 `yaml:"database_monthly"`
		OpsHoursMonthly float64 `yaml:"ops_hours_monthly"`
		OpsHourCost     float64 `yaml:"ops_hour_cost"`
	} `yaml:"self_hosted"`
	Regions struct {
		CommonRuntime []string `yaml:"common_runtime"`
		PrivateSpaces []string `yaml:"private_spaces"`
	} `yaml:"regions"`
}

var loadPrices = sync.OnceValues(func() (PriceTable, error) {
	var t PriceTable
	if err := yaml.Unmarshal(pricesYAML, &t); err != nil {
		return t, fmt.Errorf("unable to read the shipped price table: %w", err)
	}
	if t.AsOf == "" || len(t.Dynos) == 0 {
		return t, fmt.Errorf("the shipped price table has no date or no dyno prices")
	}
	return t, nil
})

// Prices returns the shipped price table.
func Prices() (PriceTable, error) { return loadPrices() }

// Dyno returns the price of a dyno size, whatever its case (Standard-1X, standard-1x).
func (t PriceTable) Dyno(size string) (DynoPrice, bool) {
	p, ok := t.Dynos[strings.ToLower(strings.TrimSpace(size))]
	return p, ok
}

// Addon returns the monthly price of an add-on plan ("heroku-postgresql:essential-0"
// or service and plan apart).
func (t PriceTable) Addon(service, plan string) (float64, bool) {
	if s, p, ok := strings.Cut(plan, ":"); ok {
		service, plan = s, p
	}
	p, ok := t.Addons[strings.ToLower(service)][strings.ToLower(plan)]
	return p, ok
}

// Money formats a monthly amount.
func Money(v float64) string {
	return fmt.Sprintf("$%.0f", v)
}
