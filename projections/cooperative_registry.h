// CooperativeRegistry: every cooperative — name, city, activity, state, its members (their
// participant codes, never names), its milestones, its local and ODCO register numbers,
// capital and financing. Kept with the participant code of every case, so members are
// shown by code without reading another projection.
//
// Thread-safety: see projection.h; the const queries may run concurrently with each other.
//
//   for (const CooperativeRecord& c : registry.List({.cities = {"Rabat"}})) show(c.name());
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "projections/projection.h"
#include "projections/proto/rows.pb.h"

namespace piseruma::projections {

struct CooperativeQuery {
  std::vector<std::string> cities;  // any of these; empty = every city
  std::string state;                // "" = any
};

class CooperativeRegistry final : public Projection {
 public:
  // REQUIRES: `streams` outlives the registry.
  explicit CooperativeRegistry(StreamIndex* streams) : streams_(streams) {}
  static constexpr std::string_view kName = "cooperatives";
  std::string_view name() const override { return kName; }
  uint32_t version() const override { return 1; }

  void Clear() override;
  Status LoadRow(std::string_view key, std::string_view value) override;
  void Apply(const ProjectionEvent& event) override;
  void WriteChanges(RowWriter* out) override;

  // Matching cooperatives, by city then name then id.
  std::vector<CooperativeRecord> List(const CooperativeQuery& query) const;
  std::optional<CooperativeRecord> Get(const std::string& cooperative_id) const;
  size_t size() const { return coops_.size(); }

 private:
  struct Entry {
    CooperativeRecord record;
    bool dirty = false;
  };
  StreamIndex* streams_;
  std::unordered_map<std::string, Entry> coops_;
  std::vector<std::string> codes_;               // by case stream number: participant code
  std::vector<const std::string*> dirty_coops_;  // keys of coops_
  std::vector<uint32_t> new_codes_;
};

}  // namespace piseruma::projections
