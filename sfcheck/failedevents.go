package sfcheck

import (
	"context"
	"fmt"
	"time"

	"github.com/drsetup/drsetup/text"
)

// FailedEvent is one of the app's failed-event records: an event the app's
// listener received and could not process. The listener answers Digital
// River 200 all the same, so Digital River counts it as delivered. Its
// payload, the whole event with the customer's data, is never read.
type FailedEvent struct {
	ID        string // the record's Salesforce ID
	Created   time.Time
	EventID   string // Digital River's event id
	EventType string // "order.accepted", …
	Reason    string // why the app stored it: the first 200 characters, control characters removed
}

// FailedEvents is what FailedEvents found.
type FailedEvents struct {
	Since  time.Time
	Count  int           // records created since Since
	Newest []FailedEvent // the newest of them, newest first
}

// MaxNewestFailedEvents bounds how many records FailedEvents returns.
const MaxNewestFailedEvents = 50

// FailedEvents counts the app's failed-event records created since since and
// reads the newest newest of them (at most MaxNewestFailedEvents; 0 reads
// only the count). A user without the app's permission set may not read the
// object: Salesforce then answers INVALID_TYPE (KindInvalidType), which is
// not a finding about the events but about access. Failures are *RESTError.
func (c *Client) FailedEvents(ctx context.Context, s *Session, since time.Time, newest int) (FailedEvents, error) {
	if newest < 0 || newest > MaxNewestFailedEvents {
		return FailedEvents{}, fmt.Errorf("sfcheck: FailedEvents reads 0 to %d records, not %d", MaxNewestFailedEvents, newest)
	}
	cq, err := failedEventCountQuery(since)
	if err != nil {
		return FailedEvents{}, err
	}
	out := FailedEvents{Since: since.UTC()}
	out.Count, err = query(ctx, c, s, cq, func(struct{}) bool { return true })
	if err != nil {
		return FailedEvents{}, err
	}
	if newest == 0 || out.Count == 0 {
		return out, nil
	}
	q, err := failedEventsQuery(since, newest)
	if err != nil {
		return FailedEvents{}, err
	}
	_, err = query(ctx, c, s, q, func(r failedEventRecord) bool {
		out.Newest = append(out.Newest, FailedEvent{
			ID:        text.Cut(text.Clean(r.ID), 18),
			Created:   parseSalesforceTime(r.CreatedDate),
			EventID:   text.Cut(text.Clean(r.EventID), 100),
			EventType: text.Cut(text.Clean(r.EventType), 100),
			Reason:    text.Cut(text.Clean(r.Reason), maxRecordText),
		})
		return len(out.Newest) < newest
	})
	if err != nil {
		return FailedEvents{}, err
	}
	return out, nil
}

// failedEventRecord is a record as the query answers it. It has no field for
// the payload: were Salesforce ever to send one, it would be dropped while
// decoding.
type failedEventRecord struct {
	ID          string `json:"Id"`
	CreatedDate string
	EventID     string `json:"digitalriverv3__Event_Id__c"`
	EventType   string `json:"digitalriverv3__Event_Type__c"`
	Reason      string `json:"digitalriverv3__Event_Capture_Reason__c"`
}
