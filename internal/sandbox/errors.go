package sandbox

import (
	"net/http"
)

// apiError is the body Heroku sends with every non-2xx answer.
type apiError struct {
	status   int
	ID       string `json:"id"`
	Message  string `json:"message"`
	Resource string `json:"resource,omitempty"`
	URL      string `json:"url,omitempty"`
}

func (e *apiError) Error() string { return e.ID + ": " + e.Message }

func errNotFound(resource, message string) *apiError {
	return &apiError{status: http.StatusNotFound, ID: "not_found", Resource: resource, Message: message}
}

func errAppNotFound() *apiError {
	return errNotFound("app", "Couldn't find that app.")
}

// errNoRoute answers a request for an endpoint the sandbox does not simulate. It says
// so, so that a trainee can tell "not simulated" from "I typed it wrong".
func errNoRoute(method, path string) *apiError {
	return &apiError{status: http.StatusNotFound, ID: "not_found",
		Message: "dynodoc sandbox: " + method + " " + path + " is not simulated"}
}

// errNoVersion answers a request that names no API version, as Heroku does.
func errNoVersion() *apiError {
	return errBadRequest("Please specify a version along with Heroku's API MIME type. For example, `Accept: application/vnd.heroku+json; version=3`.")
}

func errBadRequest(message string) *apiError {
	return &apiError{status: http.StatusBadRequest, ID: "bad_request", Message: message}
}

func errInvalidParams(message string) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, ID: "invalid_params", Message: message}
}

func errUnauthorized() *apiError {
	return &apiError{status: http.StatusUnauthorized, ID: "unauthorized", Message: "Invalid credentials provided."}
}

func errNotAcceptable(message string) *apiError {
	return &apiError{status: http.StatusNotAcceptable, ID: "not_acceptable", Message: message}
}

func errRange(message string) *apiError {
	return &apiError{status: http.StatusRequestedRangeNotSatisfiable, ID: "requested_range_not_satisfiable", Message: message}
}

func errRateLimit() *apiError {
	return &apiError{status: http.StatusTooManyRequests, ID: "rate_limit",
		Message: "Your account reached the API rate limit\nPlease wait a few minutes before making new requests"}
}

func errServer(status int) *apiError {
	if status == http.StatusInternalServerError {
		return &apiError{status: status, ID: "internal_server_error",
			Message: "Internal server error.\nPlease try again later."}
	}
	return &apiError{status: status, ID: "unavailable",
		Message: "The API is temporarily unavailable.\nPlease try again later."}
}

// GitNotSimulated is what a git push or fetch to an app's Heroku git URL is told in a
// drill: git prints a text/plain error body line by line as "remote: ...".
const GitNotSimulated = "dynodoc sandbox: git pushes to Heroku are not simulated; deploy a fix with the builds.create action (or heroku builds:create)"

func gitNotSimulated(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write([]byte(GitNotSimulated + "\n"))
}
