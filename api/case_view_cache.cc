#include "api/case_view_cache.h"

#include "api/case_view.h"

namespace piseruma::api {

CaseView::CaseView(const workflows::WorkflowRegistry& registry, const workflows::StreamState& state)
    : stream_id_(state.stream_id()),
      version_(state.version()),
      state_json_(boost::json::serialize(StreamJson(registry, state))) {
  state_json_.pop_back();  // the object's closing brace
}

std::shared_ptr<const std::string> CaseView::Steps(
    const std::string& key, const std::function<std::string()>& render) const {
  {
    std::lock_guard lock(mu_);
    for (const auto& [k, text] : steps_) {
      if (k == key) return text;
    }
  }
  auto text = std::make_shared<const std::string>(render());  // outside the lock
  std::lock_guard lock(mu_);
  if (steps_.size() >= kStepsPerView) steps_.erase(steps_.begin());
  steps_.emplace_back(key, text);
  return text;
}

std::shared_ptr<const CaseView> CaseViews::Of(const workflows::WorkflowRegistry& registry,
                                              const workflows::StreamState& state) {
  auto found = cache_.Find(state.stream_id());
  if (found && found->version() == state.version()) return found;
  auto view = std::make_shared<const CaseView>(registry, state);
  cache_.Offer(view);
  return view;
}

}  // namespace piseruma::api
