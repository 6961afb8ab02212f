#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/token_store.h"

namespace pledgebook {

// How long a call may run when its client set no deadline.
enum class CallKind {
  kUnary,   // unary calls: --default_deadline_seconds
  kStream,  // finite streams (bulk ingest, exports): --default_stream_deadline_seconds
  kWatch,   // open-ended streams (WatchInitiatives, health Watch, reflection): no default
};

// Who may call a method. The one table of it is in method_roles.cc.
struct MethodPolicy {
  bool is_public = false;     // no token needed (health checks, reflection)
  Role role = Role::kAdmin;   // the role a token needs (admin may call everything)
  CallKind kind = CallKind::kUnary;
  bool listed = false;        // false: not in the table (then: admin only, unary)
};

// The policy for a full method name, "/package.Service/Method". Methods not
// in the table need the admin role: a new RPC is closed until listed.
MethodPolicy PolicyFor(std::string_view full_method);

// Every method named in the table (for tests that check that each RPC of
// the protos is classified).
std::vector<std::string> ListedMethods();

}  // namespace pledgebook
