#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "streams/key_value_store.h"
#include "streams/processor.h"
#include "turbine_state.h"

namespace runnel::examples::twin {

inline constexpr const char* kDigitalTwinStore = "digital-twin-store";
// Turbines are shut down above this wind speed.
inline constexpr double kMaxSafeWindMph = 65;
inline constexpr std::chrono::hours kTwinTimeToLive{24 * 7};
inline constexpr std::chrono::minutes kTtlCheckInterval{5};
inline constexpr std::chrono::seconds kCommitInterval{20};

// Forwards every reported state and, when a running turbine reports more wind than is
// safe, a desired state that switches it off.
class HighWindsProcessor final : public streams::Processor<std::string, TurbineState, std::string, TurbineState> {
 public:
  void init(streams::ProcessorContext<std::string, TurbineState>& context) override { context_ = &context; }
  void process(const streams::Record<std::string, TurbineState>& record) override;

 private:
  streams::ProcessorContext<std::string, TurbineState>* context_ = nullptr;
};

// Keeps the latest desired and reported state of each turbine in kDigitalTwinStore and
// forwards the updated twin. Every kTtlCheckInterval of wall-clock time it deletes the
// twins that have not reported for kTwinTimeToLive; every kCommitInterval it commits.
class DigitalTwinProcessor final : public streams::Processor<std::string, TurbineState, std::string, DigitalTwin> {
 public:
  void init(streams::ProcessorContext<std::string, DigitalTwin>& context) override;
  void process(const streams::Record<std::string, TurbineState>& record) override;

 private:
  void enforceTtl(int64_t now_ms);

  streams::ProcessorContext<std::string, DigitalTwin>* context_ = nullptr;
  streams::KeyValueStore<std::string, DigitalTwin>* store_ = nullptr;
};

// Whether `twin` is older than kTwinTimeToLive at `now_ms`. Its age is that of the last
// reported state, or of the desired one for a turbine that never reported (which would
// otherwise stay forever). A twin whose timestamp cannot be read is kept.
bool isExpired(const DigitalTwin& twin, int64_t now_ms);

}  // namespace runnel::examples::twin
