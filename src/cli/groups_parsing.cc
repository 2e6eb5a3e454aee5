// Parsers and message helpers shared by the `runnel groups` actions and its tests.
#include <algorithm>
#include <charconv>
#include <regex>

#include "cli/groups_actions.h"

namespace runnel::cli {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool isLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned daysInMonth(int64_t y, unsigned m) {
  constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}

struct KafkaError {
  const char* name;
  const char* exception;
  const char* message;
};
// The errors the group admin calls answer with, as Java's clients name and word them.
constexpr KafkaError kKafkaErrors[] = {
    {"GROUP_ID_NOT_FOUND", "GroupIdNotFoundException", "The group id does not exist."},
    {"NON_EMPTY_GROUP", "GroupNotEmptyException", "The group is not empty."},
    {"INVALID_GROUP_ID", "InvalidGroupIdException", "The configured groupId is invalid."},
    {"GROUP_AUTHORIZATION_FAILED", "GroupAuthorizationException", "Group authorization failed."},
    {"GROUP_SUBSCRIBED_TO_TOPIC", "GroupSubscribedToTopicException",
     "The consumer group is actively subscribed to the topic"},
    {"UNKNOWN_TOPIC_OR_PART", "UnknownTopicOrPartitionException", "This server does not host this topic-partition."},
    {"COORDINATOR_NOT_AVAILABLE", "CoordinatorNotAvailableException", "The coordinator is not available."},
    {"NOT_COORDINATOR", "NotCoordinatorException", "This is not the correct coordinator."},
};

}  // namespace

Result<std::vector<client::GroupState>> parseGroupStates(const std::string& text) {
  std::vector<client::GroupState> states;
  if (text.empty()) return states;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    client::GroupState state = client::parseGroupState(item);
    if (state == client::GroupState::kUnknown) {
      return Status::invalidArgument("Invalid state list '" + text +
                                     "'. Valid states are: PreparingRebalance, CompletingRebalance, Stable, Dead, "
                                     "Empty");
    }
    if (std::find(states.begin(), states.end(), state) == states.end()) states.push_back(state);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return states;
}

Result<int64_t> parseKafkaDateTime(const std::string& text) {
  size_t t = text.find('T');
  if (t == std::string::npos) {
    return Status::invalidArgument("Error parsing timestamp. It does not contain a 'T' according to ISO8601 format");
  }
  static const std::regex kPattern(
      R"((\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2}):(\d{1,2})\.(\d{1,3})(Z|([+-])(\d{2})(?::?(\d{2}))?)?)");
  std::smatch m;
  auto unparseable = Status::internal("Unparseable date: \"" + text + "\"");
  if (!std::regex_match(text, m, kPattern)) return unparseable;
  auto num = [&](int i) { return m[i].matched ? std::stoll(m[i].str()) : 0LL; };
  int64_t year = num(1), month = num(2), day = num(3), hour = num(4), minute = num(5), second = num(6);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, static_cast<unsigned>(month)) || hour > 23 ||
      minute > 59 || second > 59) {
    return unparseable;
  }
  int64_t zone_minutes = 0;
  if (m[9].matched) {
    int64_t zone_hours = num(10), zone_mins = num(11);
    if (zone_hours > 23 || zone_mins > 59) return unparseable;
    zone_minutes = (m[9].str() == "-" ? -1 : 1) * (zone_hours * 60 + zone_mins);
  }
  int64_t days = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - zone_minutes * 60;
  return seconds * 1000 + num(7);
}

Result<TopicArg> parseTopicArg(const std::string& text) {
  size_t colon = text.find(':');
  if (colon == std::string::npos) return TopicArg{text, {}};
  if (text.find(':', colon + 1) != std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return Status::invalidArgument("Invalid topic arg '" + text + "', expected topic name and partitions");
  }
  TopicArg arg{text.substr(0, colon), {}};
  size_t start = colon + 1;
  while (true) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    int32_t partition = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), partition);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size()) {
      return Status::invalidArgument("Invalid partition '" + item + "' specified in topic arg '" + text + "''");
    }
    arg.partitions.push_back(partition);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return arg;
}

std::string javaExceptionText(const Status& status) {
  std::string name = client::kafkaErrorName(status);
  for (const auto& e : kKafkaErrors) {
    if (name == e.name) return std::string("org.apache.kafka.common.errors.") + e.exception + ": " + e.message;
  }
  return "org.apache.kafka.common.KafkaException: " + client::kafkaErrorMessage(status);
}

}  // namespace runnel::cli
