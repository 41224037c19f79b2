package register

import (
	"context"
	"fmt"
	"strings"
)

// EntriesByAction reads the entries of the given actions, oldest first:
// the services built on the log fold their state from them.
func EntriesByAction(ctx context.Context, q Querier, actions ...string) ([]*Entry, error) {
	ph := strings.TrimSuffix(strings.Repeat("?, ", len(actions)), ", ")
	args := make([]any, len(actions))
	for i, a := range actions {
		args[i] = a
	}
	rows, err := q.QueryContext(ctx, `SELECT `+EntryCols+` FROM entries WHERE action IN (`+ph+`) ORDER BY seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("register: read entries: %w", err)
	}
	return ScanEntries(rows)
}
