#include "digital_twin_processors.h"

#include <vector>

#include "streams/or_throw.h"

namespace runnel::examples::twin {

using streams::PunctuationType;
using streams::Record;
using streams::orThrow;

void HighWindsProcessor::process(const Record<std::string, TurbineState>& record) {
  context_->forward(record);
  const TurbineState& reported = record.value();
  if (reported.wind_speed_mph.value_or(0) > kMaxSafeWindMph && reported.power == Power::kOn) {
    TurbineState desired = reported;
    desired.power = Power::kOff;
    desired.type = StateType::kDesired;
    context_->forward(record.withValue(std::move(desired)));
  }
}

void DigitalTwinProcessor::init(streams::ProcessorContext<std::string, DigitalTwin>& context) {
  context_ = &context;
  store_ = &context.getStateStore<streams::KeyValueStore<std::string, DigitalTwin>>(kDigitalTwinStore);
  context.schedule(kTtlCheckInterval, PunctuationType::kWallClockTime, [this](int64_t now) { enforceTtl(now); });
  context.schedule(kCommitInterval, PunctuationType::kWallClockTime, [this](int64_t) { context_->commit(); });
}

void DigitalTwinProcessor::process(const Record<std::string, TurbineState>& record) {
  DigitalTwin twin = orThrow(store_->get(record.key())).value_or(DigitalTwin{});
  if (record.value().type == StateType::kDesired) {
    twin.desired = record.value();
  } else {
    twin.reported = record.value();
  }
  orThrow(store_->put(record.key(), twin));
  context_->forward(record.withValue(std::move(twin)));
}

void DigitalTwinProcessor::enforceTtl(int64_t now_ms) {
  // Deleted after the scan: the iterator then never sees the store change under it.
  std::vector<std::string> expired;
  auto it = store_->all();
  for (; it.valid(); it.next()) {
    if (isExpired(it.value(), now_ms)) expired.push_back(it.key());
  }
  orThrow(it.status());
  it.close();
  for (const std::string& key : expired) orThrow(store_->remove(key));
}

bool isExpired(const DigitalTwin& twin, int64_t now_ms) {
  const std::optional<TurbineState>& last = twin.reported ? twin.reported : twin.desired;
  if (!last) return false;
  std::optional<int64_t> seen_ms = parseInstantMs(last->timestamp);
  return seen_ms && *seen_ms < now_ms - std::chrono::milliseconds(kTwinTimeToLive).count();
}

}  // namespace runnel::examples::twin
