//! Request metrics in the Prometheus format: how many requests each route answered with which
//! status, and how long they took (a histogram per route). The `prometheus` crate keeps the
//! counters and writes the text format; routes are the router's patterns (`/api/v1/cases/{id}`),
//! never the paths asked for, so ids and search text never reach the metrics.

use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder};

pub struct HttpMetrics {
    registry: Registry,
    requests: IntCounterVec,
    duration: HistogramVec,
}

impl Default for HttpMetrics {
    fn default() -> Self {
        Self::new()
    }
}

impl HttpMetrics {
    pub fn new() -> HttpMetrics {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new("hoagiai_http_requests_total", "Requests answered, by route pattern, method and status."),
            &["route", "method", "status"],
        )
        .expect("valid metric");
        // From 1 ms (a cached statistics answer) to 10 s (a province's export).
        let buckets = vec![0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
        let duration = HistogramVec::new(
            HistogramOpts::new("hoagiai_http_request_duration_seconds", "Time to answer, by route pattern and method.").buckets(buckets),
            &["route", "method"],
        )
        .expect("valid metric");
        registry.register(Box::new(requests.clone())).expect("registered once");
        registry.register(Box::new(duration.clone())).expect("registered once");
        HttpMetrics { registry, requests, duration }
    }

    /// One answered request. `route` is the matched pattern, or `unmatched`.
    pub fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests.with_label_values(&[route, method, &status.to_string()]).inc();
        self.duration.with_label_values(&[route, method]).observe(seconds);
    }

    /// The text format of everything observed.
    pub fn text(&self) -> String {
        TextEncoder::new().encode_to_string(&self.registry.gather()).unwrap_or_default()
    }
}
