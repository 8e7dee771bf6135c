//! Optional export of the request spans (tracing-actix-web's: method, route pattern, request id,
//! status) to an OpenTelemetry collector over OTLP/HTTP. Configured by the standard variables —
//! `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), and the exporter's
//! own `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_BSP_*`… — and built in with the `otlp` cargo feature
//! (`cargo build --release --features otlp`): the exporter's HTTP stack is large, and a first
//! build from a fresh clone should stay quick for everyone who does not run a collector.
//! Spans leave in batches from a thread of their own; a collector that is down costs a log line,
//! never a request.

/// The collector's address, when the operator named one.
pub fn configured_endpoint() -> Option<String> {
    ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
}

/// Flushes the spans still waiting when the program ends.
pub struct Guard {
    #[cfg(feature = "otlp")]
    provider: opentelemetry_sdk::trace::SdkTracerProvider,
}

impl Drop for Guard {
    fn drop(&mut self) {
        #[cfg(feature = "otlp")]
        if let Err(e) = self.provider.shutdown() {
            eprintln!("OTLP export: the last spans could not be sent: {e}");
        }
    }
}

/// The tracer to export through, and its guard; `None` when no collector is configured.
#[cfg(feature = "otlp")]
pub fn tracer() -> Result<Option<(opentelemetry_sdk::trace::Tracer, Guard)>, String> {
    use opentelemetry::trace::TracerProvider as _;
    use opentelemetry_otlp::WithExportConfig as _;
    let Some(endpoint) = configured_endpoint() else { return Ok(None) };
    let mut builder = opentelemetry_otlp::SpanExporter::builder().with_http();
    // The general variable names the collector; the exporter adds the traces path to it, as the
    // specification asks. The traces variable is taken as the full address by the exporter itself.
    if std::env::var("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").is_err() {
        builder = builder.with_endpoint(format!("{}/v1/traces", endpoint.trim_end_matches('/')));
    }
    let exporter = builder.build().map_err(|e| format!("OTLP exporter for {endpoint}: {e}"))?;
    let resource = opentelemetry_sdk::Resource::builder().with_service_name("hoagiai").build();
    let provider = opentelemetry_sdk::trace::SdkTracerProvider::builder().with_batch_exporter(exporter).with_resource(resource).build();
    let tracer = provider.tracer("hoagiai");
    Ok(Some((tracer, Guard { provider })))
}
