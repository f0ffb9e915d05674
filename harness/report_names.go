package harness

import (
	"regexp"
	"strconv"

	"github.com/replsim/replsim/checker"
)

// clientNumber is how the checkers name a client in a detail: by its
// number in the cluster (checker.Op.Client).
var clientNumber = regexp.MustCompile(`\bclient (\d+)\b`)

// NamedDetail is v's detail with "client 2" written "client c3", the
// name the cluster gave that client, as every report and summary shows
// it. (Details keep the checkers' numbers; a result without names, such
// as one read back from JSON, shows them unchanged.)
func (r *Result) NamedDetail(v checker.Violation) string {
	names := r.Report.Clients
	if len(names) == 0 {
		return v.Detail
	}
	return clientNumber.ReplaceAllStringFunc(v.Detail, func(m string) string {
		return "client " + clientName(names, m[len("client "):])
	})
}

// clientName is the name of client number id (a decimal string), or the
// number itself if the cluster has no such client.
func clientName(names []string, id string) string {
	n, err := strconv.Atoi(id)
	if err != nil || n < 0 || n >= len(names) {
		return id
	}
	return names[n]
}
