#include "projections/event.h"

#include <google/protobuf/descriptor.h>

namespace piseruma::projections {

std::string MonthOf(workflows::Day day) { return workflows::FormatDate(day).substr(0, 7); }

Result<const ProjectionEvent*> EventDecoder::Decode(const engine::RecordedEvent& event) {
  const engine::Envelope& env = event.envelope;
  const std::string& stream = env.stream_id();
  if (stream.rfind("case-", 0) == 0) {
    out_.kind = StreamKind::kCase;
  } else if (stream.rfind("coop-", 0) == 0) {
    out_.kind = StreamKind::kCooperative;
  } else {
    return static_cast<const ProjectionEvent*>(nullptr);
  }
  const auto damaged = [&](const std::string& what) {
    return Status::DataLoss("the event at position " + std::to_string(env.position()) + " (" +
                            stream + ") " + what + "; run `piseruma verify`");
  };
  if (!header_.ParseFromString(env.payload())) return damaged("is not a domain event");
  const std::string& url = header_.data().type_url();
  auto it = messages_.find(url);
  if (it == messages_.end()) {
    const std::string full_name = url.substr(url.rfind('/') + 1);
    const auto* descriptor =
        google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(full_name);
    const google::protobuf::Message* prototype =
        descriptor ? google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor)
                   : nullptr;
    if (!prototype) return damaged("carries data of unknown type '" + full_name + "'");
    it = messages_.emplace(url, std::unique_ptr<google::protobuf::Message>(prototype->New())).first;
  }
  google::protobuf::Message* data = it->second.get();
  if (!data->ParseFromString(header_.data().value())) return damaged("has unreadable data");

  out_.envelope = &env;
  out_.stream = streams_->Intern(stream);
  out_.header = &header_;
  out_.data = data;
  out_.descriptor = data->GetDescriptor();
  out_.day = workflows::DayInMorocco(env.recorded_at_us());
  if (out_.day < month_day_ ||
      out_.day >= month_end_) {  // events come in time order: cache the month
    const std::string date = workflows::FormatDate(out_.day);
    out_.month = date.substr(0, 7);
    month_day_ = *workflows::ParseDate(out_.month + "-01");
    month_end_ = workflows::AddMonths(month_day_, 1);
  }
  return static_cast<const ProjectionEvent*>(&out_);
}

}  // namespace piseruma::projections
