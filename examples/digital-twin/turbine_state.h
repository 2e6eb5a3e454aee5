#pragma once

// The records of chapter 7: the states a wind turbine reports or is asked to take, and
// the digital twin that pairs the two. JSON as the book's data files.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "common/json_bind.h"

namespace runnel::examples::twin {

enum class Power { kOn, kOff };
enum class StateType { kDesired, kReported };

// The JSON names of the enums' values (the book's Java enum constants), by value.
inline constexpr std::array<std::string_view, 2> kPowerNames = {"ON", "OFF"};
inline constexpr std::array<std::string_view, 2> kStateTypeNames = {"DESIRED", "REPORTED"};
constexpr const auto& jsonNames(Power) { return kPowerNames; }
constexpr const auto& jsonNames(StateType) { return kStateTypeNames; }

}  // namespace runnel::examples::twin

namespace runnel::json {

// An enum with jsonNames() travels as the name of its value.
template <class E>
  requires std::is_enum_v<E> && requires(E e) { jsonNames(e); }
struct Codec<E> {
  static Status read(const Value& value, E& out) {
    if (value.isNull()) {
      reset(out);
      return Status::ok();
    }
    RUNNEL_ASSIGN_OR_RETURN(std::string_view text, value.getString());
    const auto& names = jsonNames(E{});
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == text) {
        out = E(i);
        return Status::ok();
      }
    }
    return Status::invalidArgument("unknown value \"" + std::string(text) + "\"");
  }
  static void write(Writer& writer, E value) { writer.writeString(jsonNames(value)[size_t(value)]); }
  static void reset(E& out) { out = E{}; }
};

}  // namespace runnel::json

namespace runnel::examples::twin {

struct TurbineState {
  std::string timestamp;  // ISO-8601, "2020-11-23T09:02:00.000Z"
  std::optional<double> wind_speed_mph;  // desired states have none
  Power power = Power::kOn;
  StateType type = StateType::kReported;

  bool operator==(const TurbineState&) const = default;
};
RUNNEL_JSON_FIELDS(TurbineState, (timestamp, "timestamp"), (wind_speed_mph, "wind_speed_mph"), (power, "power"),
                   (type, "type"))

struct DigitalTwin {
  std::optional<TurbineState> desired;
  std::optional<TurbineState> reported;

  bool operator==(const DigitalTwin&) const = default;
};
RUNNEL_JSON_FIELDS(DigitalTwin, (desired, "desired"), (reported, "reported"))

// Milliseconds since the epoch of an ISO-8601 UTC instant as Java's Instant.parse reads
// it ("2020-11-23T09:02:00.500Z", fraction optional); nullopt when it is not one.
std::optional<int64_t> parseInstantMs(std::string_view text);

}  // namespace runnel::examples::twin
