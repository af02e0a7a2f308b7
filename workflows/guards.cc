#include "workflows/guards.h"

#include <algorithm>
#include <sstream>

#include "workflows/message_fields.h"

namespace piseruma::workflows {
namespace {

std::string Fr(const FieldRule& r) { return r.label().fr().empty() ? r.field() : r.label().fr(); }
std::string En(const FieldRule& r) { return r.label().en().empty() ? r.field() : r.label().en(); }

std::string Num(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

void CheckBounds(const FieldRule& r, double value, const WorkflowRegistry& reg,
                 std::vector<FieldViolation>* out) {
  std::optional<double> min = r.has_min() ? std::optional<double>(r.min()) : std::nullopt;
  std::optional<double> max = r.has_max() ? std::optional<double>(r.max()) : std::nullopt;
  if (!r.min_param().empty()) min = reg.Param(r.min_param());
  if (!r.max_param().empty()) max = reg.Param(r.max_param());
  if (min && value < *min) {
    out->push_back({r.field(), "min", Fr(r) + " : au moins " + Num(*min) + " (reçu " + Num(value) + "). / " +
                                          En(r) + ": at least " + Num(*min) + " (got " + Num(value) + ")."});
  }
  if (max && value > *max) {
    out->push_back({r.field(), "max", Fr(r) + " : au plus " + Num(*max) + " (reçu " + Num(value) + "). / " +
                                          En(r) + ": at most " + Num(*max) + " (got " + Num(value) + ")."});
  }
}

void CheckText(const FieldRule& r, const std::string& text, const WorkflowRegistry& reg, Day today,
               std::vector<FieldViolation>* out) {
  if (r.date() || r.not_in_future()) {
    auto day = ParseDate(text);
    if (!day) {
      out->push_back({r.field(), "date", Fr(r) + " : date au format AAAA-MM-JJ attendue (reçu « " + text +
                                             " »). / " + En(r) + ": expected a date YYYY-MM-DD (got '" + text + "')."});
      return;
    }
    if (r.not_in_future() && *day > today) {
      out->push_back({r.field(), "not_in_future", Fr(r) + " ne peut pas être dans le futur (" + text + "). / " +
                                                      En(r) + " cannot be in the future (" + text + ")."});
    }
  }
  if (!r.options().empty()) {
    const bool ok = std::any_of(r.options().begin(), r.options().end(),
                                [&](const Option& o) { return o.value() == text; });
    if (!ok) {
      std::string allowed;
      for (const auto& o : r.options()) allowed += (allowed.empty() ? "" : ", ") + o.value();
      out->push_back({r.field(), "one_of", Fr(r) + " : « " + text + " » n'est pas permis (" + allowed + "). / " +
                                               En(r) + ": '" + text + "' is not allowed (" + allowed + ")."});
    }
  }
  if (r.one_of_param() == "cities") {
    const auto& cities = reg.params().cities();
    if (std::find(cities.begin(), cities.end(), text) == cities.end()) {
      out->push_back({r.field(), "city", Fr(r) + " : « " + text + " » n'est pas une ville du programme. / " +
                                             En(r) + ": '" + text + "' is not a programme city."});
    }
  }
}

}  // namespace

std::vector<FieldViolation> CheckFieldRules(const Transition& t, const google::protobuf::Message& cmd,
                                            const WorkflowRegistry& reg, Day today) {
  std::vector<FieldViolation> out;
  for (const FieldRule& r : t.fields()) {
    if (!IsFieldSet(cmd, r.field())) {
      // A number left at 0 is "set to 0" for bounds, but "missing" for required.
      if (r.required()) {
        out.push_back({r.field(), "required", Fr(r) + " est obligatoire. / " + En(r) + " is required."});
      }
      continue;
    }
    if (auto number = FieldNumber(cmd, r.field())) {
      CheckBounds(r, *number, reg, &out);
    } else if (auto text = FieldText(cmd, r.field())) {
      CheckText(r, *text, reg, today, &out);
    }
  }
  return out;
}

}  // namespace piseruma::workflows
