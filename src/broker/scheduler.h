#pragma once

#include <chrono>
#include <functional>

namespace runnel::broker {

// Runs work on the broker's I/O threads, now or after a delay. Keeps Asio out of the
// handlers' headers.
class Scheduler {
 public:
  virtual ~Scheduler() = default;
  virtual void post(std::function<void()> fn) = 0;
  virtual void runAfter(std::chrono::milliseconds delay, std::function<void()> fn) = 0;
};

}  // namespace runnel::broker
