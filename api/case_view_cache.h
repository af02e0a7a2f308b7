// CaseViews: the JSON of a case or cooperative as GET answers it, rendered once per stream
// version — and its next steps once per version, user and day — instead of on every read.
//
// Nothing here decides what is current. The endpoint loads the state first
// (CommandService::LoadShared reads the stream's newest events from the log), and a view is
// used only for that exact version: a rendering is a pure function of the registry and the
// state at a version (plus the user and the day for the next steps), so it is exact for as
// long as it is kept. Personal fields and a case's cooperative membership (another stream)
// are never cached; the endpoint adds them per request.
//
// Bounded: at most `capacity` views, each with at most kStepsPerView user renderings.
//
// Thread-safety: every method is safe to call concurrently.
//
//   CaseViews views(1024);
//   auto view = views.Of(registry, *state);              // state from LoadShared
//   std::string body = view->state_json() + "," + view->Steps(key, render) + "}";
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "engine/thread_annotations.h"
#include "workflows/proto/state.pb.h"
#include "workflows/registry.h"
#include "workflows/versioned_cache.h"

namespace piseruma::api {

// One stream's rendering at one version. Intentionally not copyable (it holds a mutex).
class CaseView {
 public:
  // Renderings kept per view: the few people who open a case on the same day.
  static constexpr size_t kStepsPerView = 4;

  CaseView(const workflows::WorkflowRegistry& registry, const workflows::StreamState& state);

  const std::string& stream_id() const { return stream_id_; }
  uint64_t version() const { return version_; }
  // StreamJson(state), serialized without its closing brace, so members can follow.
  const std::string& state_json() const { return state_json_; }
  // The text `render` returns for `key` (who asks, and the day), rendered on first use.
  std::shared_ptr<const std::string> Steps(const std::string& key,
                                           const std::function<std::string()>& render) const;

 private:
  std::string stream_id_;
  uint64_t version_;
  std::string state_json_;
  mutable std::mutex mu_;
  // Oldest first.
  mutable std::vector<std::pair<std::string, std::shared_ptr<const std::string>>> steps_
      GUARDED_BY(mu_);
};

class CaseViews {
 public:
  explicit CaseViews(size_t capacity) : cache_(capacity) {}
  // The view of `state` at its version: kept, or rendered now (and kept unless a newer
  // version is already held).
  std::shared_ptr<const CaseView> Of(const workflows::WorkflowRegistry& registry,
                                     const workflows::StreamState& state);
  size_t size() const { return cache_.size(); }

 private:
  workflows::VersionedCache<CaseView> cache_;
};

}  // namespace piseruma::api
