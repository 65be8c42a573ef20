// Package metrics exposes Frontline's Prometheus metrics: requests by route
// pattern and status, the database pools, the mail outbox and the webhook
// and xAPI queues (depth and age, read from the database at scrape time, so
// every instance reports the same shared queue), scheduled jobs, quiz
// submissions and completions. It observes; it decides nothing. The web
// server gets plain functions and an http.Handler from it, so web stays a
// leaf.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/frontline-lms/frontline/app/database"
	"github.com/frontline-lms/frontline/app/store"
)

// Metrics is one process's registry and the collectors in it.
type Metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	jobRuns     *prometheus.CounterVec
	quizzes     *prometheus.CounterVec
	completions prometheus.Counter
}

// New registers every metric for an instance over db; now is the clock the
// queue ages are measured by (the app's).
func New(db *database.DB, st *store.Store, now func() time.Time) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "frontline_http_requests_total",
		Help: "HTTP requests answered, by method, route pattern and status."}, []string{"method", "route", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "frontline_http_request_duration_seconds",
		Help:    "Time to answer HTTP requests, by method, route pattern and status.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 15}}, []string{"method", "route", "status"})
	m.jobRuns = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "frontline_job_runs_total",
		Help: "Scheduled job runs on this instance, by job and result (ok or error)."}, []string{"job", "result"})
	m.quizzes = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "frontline_quiz_submissions_total",
		Help: "Quiz and refresher submissions stored, by result (passed or failed)."}, []string{"result"})
	m.completions = prometheus.NewCounter(prometheus.CounterOpts{Name: "frontline_course_completions_total",
		Help: "Course completions recorded."})
	m.reg.MustRegister(m.requests, m.duration, m.jobRuns, m.quizzes, m.completions,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(db.W.DB, "writer"), &queues{st: st, now: now})
	if db.R != db.W {
		m.reg.MustRegister(collectors.NewDBStatsCollector(db.R.DB, "reader"))
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Request counts one answered request. route is the pattern ("/courses/:course"),
// never the path, so the number of series stays bounded.
func (m *Metrics) Request(method, route string, status int, d time.Duration) {
	s := strconv.Itoa(status)
	method = methodLabel(method)
	m.requests.WithLabelValues(method, route, s).Inc()
	m.duration.WithLabelValues(method, route, s).Observe(d.Seconds())
}

// methodLabel is a constant string for method: the caller's may live in a
// buffer the next request reuses (Fiber's), and a label keeps its string
// for good; anything unusual is one "other", so clients cannot grow series.
func methodLabel(method string) string {
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions} {
		if method == m {
			return m
		}
	}
	return "other"
}

// JobRan counts one scheduled job run.
func (m *Metrics) JobRan(job string, err error) {
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.jobRuns.WithLabelValues(job, result).Inc()
}

// Learning counts what learning stored: "quiz_passed", "quiz_failed" or "completed".
func (m *Metrics) Learning(kind string) {
	switch kind {
	case "quiz_passed":
		m.quizzes.WithLabelValues("passed").Inc()
	case "quiz_failed":
		m.quizzes.WithLabelValues("failed").Inc()
	case "completed":
		m.completions.Inc()
	}
}

// queues reads the queues and the jobs from the database at each scrape.
type queues struct {
	st  *store.Store
	now func() time.Time
}

var (
	depthDesc = prometheus.NewDesc("frontline_queue_depth", "Messages waiting to be sent, by queue (mail or delivery) and kind.",
		[]string{"queue", "kind"}, nil)
	ageDesc = prometheus.NewDesc("frontline_queue_oldest_age_seconds", "Age of the oldest message waiting, by queue and kind.",
		[]string{"queue", "kind"}, nil)
	lastRunDesc = prometheus.NewDesc("frontline_job_last_run_timestamp_seconds", "When each scheduled job last ran (any instance).",
		[]string{"job"}, nil)
	lastSuccessDesc = prometheus.NewDesc("frontline_job_last_success_timestamp_seconds", "When each scheduled job last finished without an error (any instance).",
		[]string{"job"}, nil)
	scrapeErrDesc = prometheus.NewDesc("frontline_metrics_database_error", "1 when the last scrape could not read the queues or jobs from the database.",
		nil, nil)
)

func (q *queues) Describe(ch chan<- *prometheus.Desc) {
	ch <- depthDesc
	ch <- ageDesc
	ch <- lastRunDesc
	ch <- lastSuccessDesc
	ch <- scrapeErrDesc
}

// every kind is reported, waiting or not, so an alert on depth sees 0
// rather than no series.
var kinds = map[string][]string{
	"mail":     {store.MailAssigned, store.MailWindowOpened, store.MailDueTomorrow, store.MailOverdue, store.MailDigestKind},
	"delivery": {store.DeliveryWebhook, store.DeliveryXAPI},
}

func (q *queues) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	now := q.now()
	failed := 0.0
	depths, err := q.st.PendingByKind(ctx)
	if err != nil {
		failed = 1
	} else {
		seen := map[[2]string]store.QueueDepth{}
		for _, d := range depths {
			seen[[2]string{d.Queue, d.Kind}] = d
		}
		for queue, ks := range kinds {
			for _, k := range ks {
				d := seen[[2]string{queue, k}]
				age := 0.0
				if d.N > 0 && !d.Oldest.IsZero() {
					age = max(now.Sub(d.Oldest).Seconds(), 0)
				}
				ch <- prometheus.MustNewConstMetric(depthDesc, prometheus.GaugeValue, float64(d.N), queue, k)
				ch <- prometheus.MustNewConstMetric(ageDesc, prometheus.GaugeValue, age, queue, k)
			}
		}
	}
	js, err := q.st.Jobs(ctx)
	if err != nil {
		failed = 1
	}
	for _, j := range js {
		if !j.LastRunAt.IsZero() {
			ch <- prometheus.MustNewConstMetric(lastRunDesc, prometheus.GaugeValue, float64(j.LastRunAt.Unix()), j.Name)
		}
		if !j.LastSuccessAt.IsZero() {
			ch <- prometheus.MustNewConstMetric(lastSuccessDesc, prometheus.GaugeValue, float64(j.LastSuccessAt.Unix()), j.Name)
		}
	}
	ch <- prometheus.MustNewConstMetric(scrapeErrDesc, prometheus.GaugeValue, failed)
}
