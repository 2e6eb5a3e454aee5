#pragma once

// Chapter 2 of the book: a greeting for every value of the `users` topic, once with the
// DSL and once with the Processor API.

#include <functional>
#include <string>

#include "common/result.h"
#include "streams/processor.h"
#include "streams/topology.h"

namespace runnel::examples::hello {

inline constexpr const char* kUsersTopic = "users";

// Receives each greeting line; the program prints it, the tests collect it.
using Greet = std::function<void(const std::string& line)>;

// stream("users").foreach(...): "(DSL) Hello, <value>".
Result<streams::Topology> dslTopology(Greet greet);

// Source "UserSource" -> processor "SayHello": "(Processor API) Hello, <value>".
Result<streams::Topology> processorTopology(Greet greet);

// The book's SayHelloProcessor: greets and forwards nothing.
class SayHelloProcessor : public streams::Processor<streams::Void, std::string> {
 public:
  explicit SayHelloProcessor(Greet greet) : greet_(std::move(greet)) {}
  void process(const streams::Record<streams::Void, std::string>& record) override {
    greet_("(Processor API) Hello, " + record.value());
  }

 private:
  Greet greet_;
};

}  // namespace runnel::examples::hello
