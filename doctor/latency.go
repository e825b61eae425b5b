package doctor

// listener_latency: how long the app's endpoint takes to answer, against
// the time Digital River gives a delivery.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/drsetup/drsetup/explain"
	"github.com/drsetup/drsetup/sfcheck"
	"github.com/drsetup/drsetup/text"
)

// Digital River counts an answer slower than 3,000 ms as a failed delivery
// (facts/diagnosis.md §6). A GET is answered by Salesforce's dispatch and
// runs none of the app's code, which a delivery does; a GET that takes half
// the limit leaves too little for it.
const (
	latencyFail = 3000 * time.Millisecond
	latencyWarn = 1500 * time.Millisecond
	// maxLatencySamples is how many GETs the median is of, at most.
	maxLatencySamples = 3
)

// probeSample is what a probe of the Apex endpoint measured: the first of
// listener_latency's GETs.
type probeSample struct {
	url      string
	answered bool // an answer came, whatever its status
	ok       bool // the app's listener answered it (405, or 200)
	latency  time.Duration
}

func sampleOf(url string, pr sfcheck.ProbeResult, err error) probeSample {
	return probeSample{url: url, answered: err == nil, ok: err == nil && pr.OK, latency: pr.Latency}
}

// speedRead is the measurement of one endpoint, made once however many
// webhooks point at it.
type speedRead struct {
	once    sync.Once
	samples []time.Duration
	// short is why fewer GETs were timed than the median needs; nil when
	// none failed.
	short error
	// timedOut counts the GETs that got no answer within the client's time
	// limit: each is a sample of that limit.
	timedOut int
}

func (e *evidence) speed(url string) *speedRead {
	key := strings.ToLower(url)
	e.mu.Lock()
	defer e.mu.Unlock()
	if s, ok := e.speeds[key]; ok {
		return s
	}
	s := &speedRead{}
	e.speeds[key] = s
	return s
}

// latencyResult times the endpoint first probed: the probe's GET and up to
// two more, each side-effect free (the listener takes only POST). by is the
// check that probed, for the findings that point to it.
func (r *run) latencyResult(ctx context.Context, sf *sfcheck.Client, s *sfcheck.Session, first probeSample, have bool, by ID) Result {
	switch {
	case !have || first.url == "":
		return Result{Status: Skip, Summary: fmt.Sprintf("Not measured: the endpoint was not probed (see %s).", by)}
	case !first.answered:
		return Result{Status: Skip, Summary: fmt.Sprintf("Not measured: the endpoint did not answer the probe (see %s).", by)}
	case !first.ok:
		return Result{Status: Skip, Summary: fmt.Sprintf("Not measured: the endpoint does not answer as the app's listener does (see %s).", by)}
	}
	sp := r.ev.speed(first.url)
	sp.once.Do(func() {
		sp.samples, sp.timedOut, sp.short = measure(ctx, first.latency, func(ctx context.Context) (time.Duration, bool, error) {
			pr, err := sf.ProbeApex(ctx, s, first.url)
			var le *sfcheck.LoginError
			if errors.As(err, &le) && le.Kind == sfcheck.KindTimeout {
				return le.Timeout, true, nil
			}
			return pr.Latency, false, err
		})
	})
	return latencyFinding(sp.samples, sp.timedOut, sp.short)
}

// measure takes samples until their median's band is known: the first,
// then another; a third only when the two fall in different bands, as the
// median of three always lies between the other two. more times one GET;
// timedOut says it got no answer within the client's limit, which Digital
// River would count as a failed delivery too.
func measure(ctx context.Context, first time.Duration, more func(context.Context) (d time.Duration, timedOut bool, err error)) (samples []time.Duration, timedOut int, short error) {
	samples = []time.Duration{first}
	for len(samples) < maxLatencySamples {
		if len(samples) == 2 && latencyBand(samples[0]) == latencyBand(samples[1]) {
			break
		}
		d, late, err := more(ctx)
		if err != nil {
			return samples, timedOut, err
		}
		if late {
			timedOut++
		}
		samples = append(samples, d)
	}
	return samples, timedOut, nil
}

// latencyBand is the verdict for an answer time.
func latencyBand(d time.Duration) Status {
	switch {
	case d > latencyFail:
		return Fail
	case d > latencyWarn:
		return Warn
	}
	return Pass
}

// median of the samples; with two (which then share a band), their mean.
func median(samples []time.Duration) time.Duration {
	s := slices.Clone(samples)
	slices.Sort(s)
	switch n := len(s); {
	case n == 0:
		return 0
	case n%2 == 1:
		return s[n/2]
	default:
		return (s[n/2-1] + s[n/2]) / 2
	}
}

// latencyFinding words the samples' verdict.
func latencyFinding(samples []time.Duration, timedOut int, short error) Result {
	med := median(samples)
	status := latencyBand(med)
	times := make([]string, len(samples))
	for i, d := range samples {
		times[i] = millis(d)
	}
	sum := fmt.Sprintf("The endpoint answered %s in %s", text.Count(len(samples), "GET"), text.JoinAnd(times))
	if len(samples) == 1 {
		sum = "The endpoint answered a GET in " + times[0]
	}
	if len(samples) > 2 {
		sum += fmt.Sprintf(" (median %s)", millis(med))
	}
	sum += "."
	if timedOut > 0 {
		sum += fmt.Sprintf(" %s got no answer in time, counted at the time drsetup waited.", text.Capitalize(text.Count(timedOut, "GET")))
	}
	if short != nil && len(samples) < 2 {
		sum += " The next GET got no answer (" + strings.TrimSuffix(explain.Of(short).Summary(), ".") + "), so this one is all there is to go by."
	}
	meaning, remedy := explain.Latency(status == Fail, status == Warn)
	res := Result{Status: status, Summary: sum + " " + meaning, Remedy: remedy}
	// The brief names the band, not the time, so that webhooks of one
	// slow org, timed a little apart, make one finding.
	switch status {
	case Fail:
		res.Brief = fmt.Sprintf("GETs take longer than the %s Digital River allows a delivery", millis(latencyFail))
	case Warn:
		res.Brief = fmt.Sprintf("GETs take over half of the %s Digital River allows a delivery", millis(latencyFail))
	}
	return res
}

// millis writes a duration in milliseconds with thousands separated:
// "1,612 ms", as the limits are stated.
func millis(d time.Duration) string {
	s := strconv.FormatInt(d.Milliseconds(), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s + " ms"
}
