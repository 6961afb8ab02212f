#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"

namespace pledgebook {

// A small Prometheus registry: counters, gauges and histograms with labels,
// rendered in the text exposition format 0.0.4. Thread-safe; metric objects
// live as long as the registry. Label values are given in the order of the
// label names declared with the metric.
class MetricsRegistry {
 public:
  using Labels = std::vector<std::string>;

  class Counter {
   public:
    void Inc(const Labels& values = {}, double by = 1);
    double Value(const Labels& values = {}) const;

   private:
    friend class MetricsRegistry;
    mutable std::mutex mu_;
    std::map<Labels, double> values_;
  };

  class Gauge {
   public:
    void Set(const Labels& values, double value);
    void Set(double value) { Set({}, value); }
    void Add(const Labels& values, double delta);
    double Value(const Labels& values = {}) const;

   private:
    friend class MetricsRegistry;
    mutable std::mutex mu_;
    std::map<Labels, double> values_;
  };

  class Histogram {
   public:
    void Observe(const Labels& values, double value);
    // Observations so far for these labels (for tests).
    long long Count(const Labels& values = {}) const;

   private:
    friend class MetricsRegistry;
    struct Series {
      std::vector<long long> buckets;  // cumulative at render time, per bucket here
      long long count = 0;
      double sum = 0;
    };
    std::vector<double> bounds_;
    mutable std::mutex mu_;
    std::map<Labels, Series> series_;
  };

  Counter* AddCounter(const std::string& name, const std::string& help, std::vector<std::string> labels = {});
  Gauge* AddGauge(const std::string& name, const std::string& help, std::vector<std::string> labels = {});
  Histogram* AddHistogram(const std::string& name, const std::string& help, std::vector<std::string> labels,
                          std::vector<double> bounds);
  // Runs before every rendering, to refresh gauges read from elsewhere
  // (pool sizes, health state).
  void AddCollector(std::function<void()> collect);

  // The text exposition format (Content-Type: text/plain; version=0.0.4).
  std::string Render() const;

  // Buckets for request latencies, in seconds.
  static std::vector<double> LatencyBuckets();

 private:
  struct Family {
    std::string name, help, type;
    std::vector<std::string> labels;
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
  };
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Family>> families_;
  std::vector<std::function<void()>> collectors_;
};

// The metrics every Pledgebook service exports (one process-wide registry).
struct ServiceMetrics {
  MetricsRegistry registry;
  // Finished calls by full method name and status code name.
  MetricsRegistry::Counter* requests;
  MetricsRegistry::Histogram* latency;
  // Calls in flight, by method.
  MetricsRegistry::Gauge* in_flight;
  // Messages and rows (initiatives) a server stream sent.
  MetricsRegistry::Counter* stream_messages;
  MetricsRegistry::Counter* rows_streamed;
  // Documents ingested by outcome: created, existing, failed.
  MetricsRegistry::Counter* documents_ingested;
  // Calls the gate refused before they reached a handler, by reason.
  MetricsRegistry::Counter* rejected;
  // Database pool: connections lent out, maximum size.
  MetricsRegistry::Gauge* pool_in_use;
  MetricsRegistry::Gauge* pool_size;
  // 1 while the service reports SERVING (by health service name, "" overall).
  MetricsRegistry::Gauge* health;
  // Token file: tokens loaded, and the number of successful reloads.
  MetricsRegistry::Gauge* tokens_loaded;

  static ServiceMetrics& Get();

 private:
  ServiceMetrics();
};

// Serves GET /metrics (and /healthz) over HTTP on `listen` ("host:port";
// port 0 picks one) in a thread of its own (cpp-httplib).
class MetricsServer {
 public:
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(const std::string& listen,
                                                              const MetricsRegistry* registry);
  ~MetricsServer();
  int port() const { return port_; }

 private:
  MetricsServer() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace pledgebook
