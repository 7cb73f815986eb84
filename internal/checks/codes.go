package checks

// Code is a Heroku error code seen in the logs: H (router), R (runtime) or L (logging).
type Code struct {
	Code    string
	Meaning string
	Next    string // what it suggests doing, {app} stands for the app
	Status  Status // how bad one occurrence is
}

// codes is the table of Heroku's error codes, from the Dev Center's "Heroku Error Codes".
var codes = map[string]Code{
	"H10": {"H10", "App crashed: a web dyno crashed or failed to boot", "find the crash in the logs above the H10s; if the current release brought it, roll back (action releases.rollback)", Fail},
	"H11": {"H11", "Backlog too deep: requests queue faster than the dynos serve them", "scale out: heroku ps:scale web=+1 --app {app} (action formation.scale), and look for slow endpoints", Fail},
	"H12": {"H12", "Request timeout: a request took more than 30 s", "find the slow endpoint (the path= of the H12 lines) and move its work to a background worker", Warn},
	"H13": {"H13", "Connection closed without response: the app closed the socket", "look for a crash or a killed process at those times in the logs", Fail},
	"H14": {"H14", "No web processes running", "scale web up: heroku ps:scale web=1 --app {app} (action formation.scale type=web quantity=1)", Fail},
	"H15": {"H15", "Idle connection: no data for 55 s", "send data (a heartbeat) on long-lived connections", Warn},
	"H18": {"H18", "Server request interrupted: the app closed the socket mid-request", "look for dyno restarts or crashes at those times", Warn},
	"H19": {"H19", "Backend connection timeout: a dyno did not accept the connection in 5 s", "the dynos are saturated: scale out or find what blocks them", Fail},
	"H20": {"H20", "App boot timeout: the web process did not bind to $PORT in 75 s", "make the web process bind to $PORT sooner; check config vars it needs at boot (app.parity)", Fail},
	"H21": {"H21", "Backend connection refused", "the dyno refused connections: check it listens on $PORT", Fail},
	"H22": {"H22", "Connection limit reached", "scale out, or shed load", Fail},
	"H23": {"H23", "Endpoint misconfigured", "check the app's routing configuration with Heroku support", Warn},
	"H24": {"H24", "Forced close: a long-lived connection was closed by the router", "reconnect on the client side", Warn},
	"H25": {"H25", "HTTP restriction: the request broke an HTTP rule", "look at the client sending it", Warn},
	"H26": {"H26", "Request error: an unparsable request", "look at the client sending it", Warn},
	"H27": {"H27", "Client request interrupted: the client went away", "usually harmless", Warn},
	"H28": {"H28", "Client connection idle", "usually harmless", Warn},
	"H31": {"H31", "Misdirected request: wrong host or certificate", "check the domain's DNS and certificate (heroku domains --app {app})", Warn},
	"H80": {"H80", "Maintenance mode: the app serves the maintenance page", "turn it off when the fix is in: heroku maintenance:off --app {app} (action app.maintenance mode=off)", Warn},
	"H81": {"H81", "Blank app: nothing deployed", "deploy: git push heroku main", Fail},
	"H82": {"H82", "Dyno hours exhausted: eco dynos sleep until the month ends", "move to basic dynos: heroku ps:type basic --app {app}", Fail},
	"H99": {"H99", "Platform error: Heroku's own fault", "check heroku.status and open a support ticket", Fail},
	"R10": {"R10", "Boot timeout: the web process did not bind to $PORT within 60 s", "read what the process logged while booting; a missing config var is a common cause (app.parity)", Fail},
	"R12": {"R12", "Exit timeout: a process did not stop within 30 s of SIGTERM", "handle SIGTERM and exit promptly", Warn},
	"R13": {"R13", "Attach error: a one-off dyno could not attach", "retry heroku run", Warn},
	"R14": {"R14", "Memory quota exceeded: the dyno swaps to disk and slows down", "a restart helps for a while (action dynos.restart); a larger size fixes it (action formation.scale size=standard-2x); then find the leak", Fail},
	"R15": {"R15", "Memory quota vastly exceeded: the dyno was killed", "use a larger size now (action formation.scale size=standard-2x), then find the leak", Fail},
	"R16": {"R16", "Detached: an attached one-off lost its client", "usually harmless", Warn},
	"R17": {"R17", "Checksum error: the slug is corrupt", "deploy again to build a new slug", Fail},
	"R99": {"R99", "Platform error: Heroku's own fault", "check heroku.status and open a support ticket", Fail},
	"L10": {"L10", "Drain buffer overflow: log lines were dropped", "your log drain is too slow; lines are missing from it", Warn},
	"L11": {"L11", "Tail buffer overflow: log lines were dropped from the tail", "read fewer lines, or filter by dyno", Warn},
	"L12": {"L12", "Local buffer overflow: log lines were dropped", "the app logs faster than it can be shipped", Warn},
	"L13": {"L13", "Local delivery error: log lines were lost", "the app logs faster than it can be shipped", Warn},
	"L14": {"L14", "Certificate validation error on a log drain", "fix the drain's TLS certificate", Warn},
	"L15": {"L15", "Tail buffer temporarily unavailable", "try the logs again in a moment", Warn},
}

// LookupCode returns the meaning of a Heroku error code (H10, R14, L10, ...).
func LookupCode(code string) (Code, bool) {
	c, ok := codes[code]
	return c, ok
}
