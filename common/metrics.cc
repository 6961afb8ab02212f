#include "common/metrics.h"

#include <httplib.h>

#include <cmath>
#include <cstdio>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace pledgebook {
namespace {

std::string FormatValue(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return absl::StrCat(static_cast<long long>(v));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

// Label values escape backslash, double quote and newline.
std::string EscapeLabel(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out.push_back(c);
  }
  return out;
}

std::string LabelSet(const std::vector<std::string>& names, const std::vector<std::string>& values,
                     const std::string& extra_name = "", const std::string& extra_value = "") {
  std::string out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    absl::StrAppend(&out, out.empty() ? "" : ",", names[i], "=\"", EscapeLabel(values[i]), "\"");
  }
  if (!extra_name.empty()) absl::StrAppend(&out, out.empty() ? "" : ",", extra_name, "=\"", extra_value, "\"");
  return out.empty() ? "" : "{" + out + "}";
}

}  // namespace

void MetricsRegistry::Counter::Inc(const Labels& values, double by) {
  std::lock_guard<std::mutex> lock(mu_);
  values_[values] += by;
}

double MetricsRegistry::Counter::Value(const Labels& values) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = values_.find(values);
  return it == values_.end() ? 0 : it->second;
}

void MetricsRegistry::Gauge::Set(const Labels& values, double value) {
  std::lock_guard<std::mutex> lock(mu_);
  values_[values] = value;
}

void MetricsRegistry::Gauge::Add(const Labels& values, double delta) {
  std::lock_guard<std::mutex> lock(mu_);
  values_[values] += delta;
}

double MetricsRegistry::Gauge::Value(const Labels& values) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = values_.find(values);
  return it == values_.end() ? 0 : it->second;
}

void MetricsRegistry::Histogram::Observe(const Labels& values, double value) {
  std::lock_guard<std::mutex> lock(mu_);
  Series& s = series_[values];
  if (s.buckets.empty()) s.buckets.assign(bounds_.size(), 0);
  for (size_t i = 0; i < bounds_.size(); ++i) {
    if (value <= bounds_[i]) {
      ++s.buckets[i];
      break;
    }
  }
  ++s.count;
  s.sum += value;
}

long long MetricsRegistry::Histogram::Count(const Labels& values) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = series_.find(values);
  return it == series_.end() ? 0 : it->second.count;
}

MetricsRegistry::Counter* MetricsRegistry::AddCounter(const std::string& name, const std::string& help,
                                                      std::vector<std::string> labels) {
  auto f = std::make_unique<Family>();
  f->name = name, f->help = help, f->type = "counter", f->labels = std::move(labels);
  f->counter = std::make_unique<Counter>();
  Counter* out = f->counter.get();
  std::lock_guard<std::mutex> lock(mu_);
  families_.push_back(std::move(f));
  return out;
}

MetricsRegistry::Gauge* MetricsRegistry::AddGauge(const std::string& name, const std::string& help,
                                                  std::vector<std::string> labels) {
  auto f = std::make_unique<Family>();
  f->name = name, f->help = help, f->type = "gauge", f->labels = std::move(labels);
  f->gauge = std::make_unique<Gauge>();
  Gauge* out = f->gauge.get();
  std::lock_guard<std::mutex> lock(mu_);
  families_.push_back(std::move(f));
  return out;
}

MetricsRegistry::Histogram* MetricsRegistry::AddHistogram(const std::string& name, const std::string& help,
                                                          std::vector<std::string> labels,
                                                          std::vector<double> bounds) {
  auto f = std::make_unique<Family>();
  f->name = name, f->help = help, f->type = "histogram", f->labels = std::move(labels);
  f->histogram = std::make_unique<Histogram>();
  f->histogram->bounds_ = std::move(bounds);
  Histogram* out = f->histogram.get();
  std::lock_guard<std::mutex> lock(mu_);
  families_.push_back(std::move(f));
  return out;
}

void MetricsRegistry::AddCollector(std::function<void()> collect) {
  std::lock_guard<std::mutex> lock(mu_);
  collectors_.push_back(std::move(collect));
}

std::vector<double> MetricsRegistry::LatencyBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};
}

std::string MetricsRegistry::Render() const {
  std::vector<std::function<void()>> collectors;
  {
    std::lock_guard<std::mutex> lock(mu_);
    collectors = collectors_;
  }
  for (const auto& c : collectors) c();
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  for (const auto& f : families_) {
    absl::StrAppend(&out, "# HELP ", f->name, " ", f->help, "\n# TYPE ", f->name, " ", f->type, "\n");
    if (f->counter || f->gauge) {
      std::map<Labels, double> values;
      if (f->counter) {
        std::lock_guard<std::mutex> l(f->counter->mu_);
        values = f->counter->values_;
      } else {
        std::lock_guard<std::mutex> l(f->gauge->mu_);
        values = f->gauge->values_;
      }
      // A metric without labels is always shown, at 0 before its first use.
      if (values.empty() && f->labels.empty()) values[{}] = 0;
      for (const auto& [labels, v] : values) {
        absl::StrAppend(&out, f->name, LabelSet(f->labels, labels), " ", FormatValue(v), "\n");
      }
    } else if (f->histogram) {
      std::lock_guard<std::mutex> l(f->histogram->mu_);
      const auto& bounds = f->histogram->bounds_;
      for (const auto& [labels, s] : f->histogram->series_) {
        long long cumulative = 0;
        for (size_t i = 0; i < bounds.size(); ++i) {
          cumulative += s.buckets[i];
          absl::StrAppend(&out, f->name, "_bucket", LabelSet(f->labels, labels, "le", FormatValue(bounds[i])), " ",
                          cumulative, "\n");
        }
        absl::StrAppend(&out, f->name, "_bucket", LabelSet(f->labels, labels, "le", "+Inf"), " ", s.count, "\n");
        absl::StrAppend(&out, f->name, "_sum", LabelSet(f->labels, labels), " ", FormatValue(s.sum), "\n");
        absl::StrAppend(&out, f->name, "_count", LabelSet(f->labels, labels), " ", s.count, "\n");
      }
    }
  }
  return out;
}

ServiceMetrics::ServiceMetrics() {
  requests = registry.AddCounter("pledgebook_grpc_requests_total", "gRPC calls finished, by method and status code.",
                                 {"method", "code"});
  latency = registry.AddHistogram("pledgebook_grpc_request_duration_seconds",
                                  "gRPC call duration from start to status, by method and status code.",
                                  {"method", "code"}, MetricsRegistry::LatencyBuckets());
  in_flight = registry.AddGauge("pledgebook_grpc_requests_in_flight", "gRPC calls in progress, by method.",
                                {"method"});
  stream_messages = registry.AddCounter("pledgebook_grpc_stream_messages_sent_total",
                                        "Messages sent on server streams, by method.", {"method"});
  rows_streamed = registry.AddCounter("pledgebook_rows_streamed_total",
                                      "Rows sent on server streams (initiatives, report rows), by method.", {"method"});
  documents_ingested = registry.AddCounter("pledgebook_documents_ingested_total",
                                           "Documents ingested, by result (created, existing, failed).", {"result"});
  rejected = registry.AddCounter("pledgebook_grpc_rejected_total",
                                 "Calls refused before reaching a handler, by method and reason.", {"method", "reason"});
  pool_in_use = registry.AddGauge("pledgebook_db_pool_in_use", "Database connections lent out.");
  pool_size = registry.AddGauge("pledgebook_db_pool_size", "Maximum database connections.");
  health = registry.AddGauge("pledgebook_health_serving",
                             "1 while the service reports SERVING, 0 otherwise, by health service name.", {"service"});
  tokens_loaded = registry.AddGauge("pledgebook_auth_tokens_loaded", "Bearer tokens loaded from --token_file.");
}

ServiceMetrics& ServiceMetrics::Get() {
  static ServiceMetrics* metrics = new ServiceMetrics();  // lives for the process
  return *metrics;
}

struct MetricsServer::Impl {
  httplib::Server http;
};

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(const std::string& listen,
                                                                    const MetricsRegistry* registry) {
  size_t colon = listen.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0) {
    return absl::InvalidArgumentError("metrics_listen: expected host:port, got \"" + listen + "\"");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  std::unique_ptr<MetricsServer> server(new MetricsServer());
  server->impl_ = std::make_unique<Impl>();
  server->impl_->http.Get("/metrics", [registry](const httplib::Request&, httplib::Response& res) {
    res.set_content(registry->Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  server->impl_->http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  if (port == 0) {
    server->port_ = server->impl_->http.bind_to_any_port(host);
  } else {
    server->port_ = server->impl_->http.bind_to_port(host, port) ? port : -1;
  }
  if (server->port_ <= 0) return absl::UnavailableError("cannot listen on " + listen + " for metrics");
  Impl* impl = server->impl_.get();
  server->thread_ = std::thread([impl] { impl->http.listen_after_bind(); });
  return server;
}

MetricsServer::~MetricsServer() {
  if (impl_) impl_->http.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace pledgebook
