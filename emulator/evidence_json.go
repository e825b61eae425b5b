package emulator

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// The JSON form of the evidence fields (evidence.go). Times are ISO-8601
// ("2026-11-24T10:00:00Z"), ages Go durations ("36h"); pendingWebhooks is
// written as Digital River may write it: a number, a numeric string, or left
// out.
type (
	orgEvidenceJSON struct {
		APIDisabled                  bool              `json:"apiDisabled"`
		HidePermissionSetAssignments bool              `json:"hidePermissionSetAssignments"`
		MethodCheckedFirst           bool              `json:"methodCheckedFirst"`
		ListenerLatency              string            `json:"listenerLatency"`
		QueryBatchSize               int               `json:"queryBatchSize"`
		FailedEvents                 []failedEventJSON `json:"failedEvents"`
	}
	userEvidenceJSON struct {
		LoginHistory       []loginEventJSON `json:"loginHistory"`
		LastPasswordChange string           `json:"lastPasswordChange"`
	}
	loginEventJSON struct {
		Time         string `json:"time"`
		Age          string `json:"age"`
		Status       string `json:"status"`
		SourceIP     string `json:"sourceIp"`
		LoginType    string `json:"loginType"`
		LoginSubType string `json:"loginSubType"`
		Application  string `json:"application"`
		LoginURL     string `json:"loginUrl"`
	}
	failedEventJSON struct {
		ID          string `json:"id"`
		CreatedDate string `json:"createdDate"`
		Age         string `json:"age"`
		EventID     string `json:"eventId"`
		EventType   string `json:"eventType"`
		Reason      string `json:"reason"`
		Payload     string `json:"payload"`
		Processed   bool   `json:"processed"`
	}
	eventJSON struct {
		ID              string         `json:"id"`
		Type            string         `json:"type"`
		CreatedTime     string         `json:"createdTime"`
		Age             string         `json:"age"`
		LiveMode        bool           `json:"liveMode"`
		PendingWebhooks any            `json:"pendingWebhooks"`
		WebhookIDs      []string       `json:"webhookIds"`
		Object          map[string]any `json:"object"`
	}
)

// jsonTime reads an optional ISO-8601 time.
func jsonTime(s, at string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return t, fieldErr(at, "%q is not an ISO-8601 time such as 2026-11-24T10:00:00Z", s)
	}
	return t, nil
}

// jsonAge reads an optional Go duration.
func jsonAge(s, at string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fieldErr(at, "%q is not a duration such as \"36h\" or \"90m\"", s)
	}
	return d, nil
}

func (in orgEvidenceJSON) apply(o *Org, at string) error {
	o.APIDisabled = in.APIDisabled
	o.HidePermissionSetAssignments = in.HidePermissionSetAssignments
	o.MethodCheckedFirst = in.MethodCheckedFirst
	o.QueryBatchSize = in.QueryBatchSize
	var err error
	if o.ListenerLatency, err = jsonAge(in.ListenerLatency, at+".listenerLatency"); err != nil {
		return err
	}
	for i, f := range in.FailedEvents {
		fat := fmt.Sprintf("%s.failedEvents[%d]", at, i)
		ev := FailedEvent{ID: f.ID, EventID: f.EventID, EventType: f.EventType, Reason: f.Reason, Payload: f.Payload, Processed: f.Processed}
		if ev.Time, err = jsonTime(f.CreatedDate, fat+".createdDate"); err != nil {
			return err
		}
		if ev.Age, err = jsonAge(f.Age, fat+".age"); err != nil {
			return err
		}
		o.FailedEvents = append(o.FailedEvents, ev)
	}
	return nil
}

func (in userEvidenceJSON) apply(u *User, at string) error {
	var err error
	if u.LastPasswordChange, err = jsonTime(in.LastPasswordChange, at+".lastPasswordChange"); err != nil {
		return err
	}
	for i, l := range in.LoginHistory {
		lat := fmt.Sprintf("%s.loginHistory[%d]", at, i)
		row := LoginEvent{Status: l.Status, SourceIP: l.SourceIP, LoginType: l.LoginType, LoginSubType: l.LoginSubType, Application: l.Application, LoginURL: l.LoginURL}
		if row.Time, err = jsonTime(l.Time, lat+".time"); err != nil {
			return err
		}
		if row.Age, err = jsonAge(l.Age, lat+".age"); err != nil {
			return err
		}
		u.LoginHistory = append(u.LoginHistory, row)
	}
	return nil
}

func eventsFromJSON(in []eventJSON) ([]Event, error) {
	var out []Event
	for i, e := range in {
		at := fmt.Sprintf("digitalRiver.events[%d]", i)
		ev := Event{ID: e.ID, Type: e.Type, LiveMode: e.LiveMode, WebhookIDs: e.WebhookIDs, Object: e.Object}
		var err error
		if ev.CreatedTime, err = jsonTime(e.CreatedTime, at+".createdTime"); err != nil {
			return nil, err
		}
		if ev.Age, err = jsonAge(e.Age, at+".age"); err != nil {
			return nil, err
		}
		switch p := e.PendingWebhooks.(type) {
		case nil:
			ev.Pending.Form = PendingMissing
		case float64:
			if p < 0 || p != math.Trunc(p) || p > math.MaxInt32 {
				return nil, fieldErr(at+".pendingWebhooks", "%v is not a whole number of webhooks", p)
			}
			ev.Pending.Count = int(p)
		case string:
			n, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil || n < 0 {
				return nil, fieldErr(at+".pendingWebhooks", "%q is not a number of webhooks", p)
			}
			ev.Pending = EventPending{Count: n, Form: PendingString}
		default:
			return nil, fieldErr(at+".pendingWebhooks", "want a number, a numeric string or nothing, got %s", jsonKind(p))
		}
		out = append(out, ev)
	}
	return out, nil
}
