#include <spdlog/spdlog.h>

#include <condition_variable>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/ip/host_name.hpp>

#include "broker/broker.h"
#include "broker/connection.h"
#include "broker/log_cleaner.h"
#include "broker/group/group_coordinator.h"
#include "broker/offset_store.h"
#include "broker/producer_ids.h"
#include "broker/topic_manager.h"

namespace runnel::broker {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

class AsioScheduler : public Scheduler {
 public:
  explicit AsioScheduler(asio::io_context& io) : io_(io) {}

  void post(std::function<void()> fn) override { asio::post(io_, std::move(fn)); }

  void runAfter(std::chrono::milliseconds delay, std::function<void()> fn) override {
    auto timer = std::make_shared<asio::steady_timer>(io_, delay);
    timer->async_wait([timer, fn = std::move(fn)](const boost::system::error_code& ec) {
      if (!ec) fn();
    });
  }

 private:
  asio::io_context& io_;
};

}  // namespace

struct Broker::Impl {
  BrokerConfig config;
  std::unique_ptr<TopicManager> topics;
  std::unique_ptr<OffsetStore> offsets;
  std::unique_ptr<ProducerIdAllocator> producer_ids;
  std::unique_ptr<LogCleaner> cleaner;  // before topics in destruction: it cleans their logs
  asio::io_context io;
  AsioScheduler scheduler{io};
  // After io: pending JoinGroup/SyncGroup answers hold connections, which must go before
  // the io_context does.
  std::unique_ptr<group::GroupCoordinator> groups;
  tcp::acceptor acceptor{io};
  std::unique_ptr<BrokerContext> context;
  std::vector<std::thread> io_threads;
  std::thread housekeeping;

  std::mutex mu;
  std::condition_variable stopped_cv;
  bool stopping = false;
  bool stopped = false;

  void accept() {
    acceptor.async_accept(asio::make_strand(io), [this](const boost::system::error_code& ec, tcp::socket socket) {
      if (ec) {
        if (ec != asio::error::operation_aborted) spdlog::warn("accept failed: {}", ec.message());
        if (!acceptor.is_open()) return;
      } else {
        serveConnection(std::move(socket), *context);
      }
      accept();
    });
  }

  // Retention and the flush.ms policy run off the I/O threads: deleting segment files and
  // fsync can be slow. Ticks every second, as Kafka's log flusher does by default
  // (log.flush.scheduler.interval.ms), and applies retention when its interval is due.
  void runHousekeeping() {
    auto next_retention =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(config.log_initial_task_delay_ms);
    std::unique_lock lock(mu);
    while (!stopping) {
      stopped_cv.wait_for(lock, std::chrono::seconds(1), [this] { return stopping; });
      if (stopping) break;
      lock.unlock();
      topics->maybeFlushAll(nowMs());
      if (std::chrono::steady_clock::now() >= next_retention) {
        topics->applyRetention(nowMs());
        next_retention = std::chrono::steady_clock::now() +
                         std::chrono::milliseconds(config.log_retention_check_interval_ms);
      }
      lock.lock();
    }
  }
};

Broker::Broker(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Broker::~Broker() { stop(); }

Result<std::unique_ptr<Broker>> Broker::start(const BrokerConfig& config) {
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  RUNNEL_ASSIGN_OR_RETURN(impl->topics, TopicManager::open(impl->config));
  RUNNEL_ASSIGN_OR_RETURN(impl->offsets, OffsetStore::open(*impl->topics));
  RUNNEL_ASSIGN_OR_RETURN(impl->producer_ids, ProducerIdAllocator::open(impl->config.log_dirs.front()));
  impl->cleaner = std::make_unique<LogCleaner>(*impl->topics, impl->config);
  RUNNEL_RETURN_IF_ERROR(impl->cleaner->start());

  boost::system::error_code ec;
  auto address = asio::ip::make_address(config.listener.host, ec);
  if (ec) {
    tcp::resolver resolver(impl->io);
    auto results = resolver.resolve(config.listener.host, std::to_string(config.listener.port), ec);
    if (ec || results.empty()) {
      return Status::invalidArgument("cannot resolve listener host " + config.listener.host);
    }
    address = results.begin()->endpoint().address();
  }
  tcp::endpoint endpoint(address, config.listener.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::ioError("cannot listen on " + config.listener.host + ":" + std::to_string(config.listener.port) +
                           ": " + ec.message());
  }
  uint16_t bound_port = impl->acceptor.local_endpoint().port();
  std::string advertised_host = config.advertised_host.empty() ? config.listener.host : config.advertised_host;
  if (advertised_host == "0.0.0.0" || advertised_host == "::") advertised_host = asio::ip::host_name();
  uint16_t advertised_port = config.advertised_port ? config.advertised_port : bound_port;
  impl->context.reset(new BrokerContext{impl->config, *impl->topics, *impl->offsets, impl->scheduler,
                                        advertised_port, advertised_host});
  impl->context->producer_ids = impl->producer_ids.get();
  impl->groups = std::make_unique<group::GroupCoordinator>(impl->config, *impl->offsets, impl->scheduler);
  impl->context->groups = impl->groups.get();
  impl->groups->start();

  impl->accept();
  for (int i = 0; i < config.num_io_threads; ++i) {
    impl->io_threads.emplace_back([io = &impl->io] { io->run(); });
  }
  impl->housekeeping = std::thread([raw = impl.get()] { raw->runHousekeeping(); });
  spdlog::info("broker {} listening on {}:{} (advertised {}:{}), cluster id {}", config.node_id,
               config.listener.host, bound_port, advertised_host, advertised_port, impl->topics->clusterId());
  return std::unique_ptr<Broker>(new Broker(std::move(impl)));
}

uint16_t Broker::port() const {
  boost::system::error_code ec;
  auto endpoint = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

const std::string& Broker::clusterId() const { return impl_->topics->clusterId(); }

void Broker::stop() {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopping) return;
    impl_->stopping = true;
  }
  impl_->stopped_cv.notify_all();
  asio::post(impl_->io, [impl = impl_.get()] {
    boost::system::error_code ignored;
    impl->acceptor.close(ignored);
  });
  impl_->io.stop();
  for (auto& t : impl_->io_threads) t.join();
  if (impl_->housekeeping.joinable()) impl_->housekeeping.join();
  impl_->cleaner->stop();
  impl_->topics->flushAll();
  spdlog::info("broker stopped");
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopped = true;
  }
  impl_->stopped_cv.notify_all();
}

void Broker::waitForStop() {
  std::unique_lock lock(impl_->mu);
  impl_->stopped_cv.wait(lock, [this] { return impl_->stopped; });
}

}  // namespace runnel::broker
