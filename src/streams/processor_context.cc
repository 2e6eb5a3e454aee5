#include "streams/internal/stream_task.h"
#include "streams/processor.h"

namespace runnel::streams {

const std::string& ProcessorContextBase::applicationId() const { return task_->applicationId(); }
const std::map<std::string, std::string>& ProcessorContextBase::appConfigs() const {
  return task_->config().originals();
}
const std::string& ProcessorContextBase::taskId() const { return task_->idString(); }
const std::optional<RecordMetadata>& ProcessorContextBase::recordMetadata() const { return task_->recordMetadata(); }
int64_t ProcessorContextBase::currentStreamTimeMs() const { return task_->streamTime(); }
int64_t ProcessorContextBase::currentSystemTimeMs() const { return task_->systemTime(); }

Cancellable ProcessorContextBase::schedule(std::chrono::milliseconds interval, PunctuationType type,
                                           Punctuator punctuator) {
  return task_->schedule(node_, interval, type, std::move(punctuator));
}

void ProcessorContextBase::commit() { task_->requestCommit(); }

StateStore* ProcessorContextBase::stateStore(std::string_view name) const { return task_->stateStore(node_, name); }

}  // namespace runnel::streams
