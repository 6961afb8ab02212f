#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/call_gate.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_interceptor.h"

namespace pledgebook {

struct InterceptorSettings {
  std::shared_ptr<CallGate> gate;  // stream slots to claim and release (may be null)
  // Server-side default deadlines for calls whose client set none (see
  // CallKind); zero: none. At the default the call is cancelled.
  std::chrono::milliseconds unary_deadline{0};
  std::chrono::milliseconds stream_deadline{0};
};

// One interceptor per call, on every Pledgebook server: takes the request id
// from "x-request-id" metadata (or makes one) and sends it back in the
// initial metadata; logs one JSON line per call (method, code, duration,
// request id, peer, client); records request counts, latencies, streamed
// messages and rows; cancels calls without a client deadline at the
// server's default; releases the call's stream slot when it ends.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeCallInterceptorFactory(
    InterceptorSettings settings);

// The request id of a call in progress ("" when unknown), for handler logs.
std::string RequestIdOf(const grpc::ServerContextBase* context);

}  // namespace pledgebook
