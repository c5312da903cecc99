// See table_loader.h.
#include "data/table_loader.h"

#include <memory>

namespace sbc::data {

TableLoader::TableLoader(TableStore& store, Post post_to_sip) : store_(store), post_(std::move(post_to_sip)) {
  thread_ = std::thread([this] { run(); });
}

TableLoader::~TableLoader() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void TableLoader::reload(std::vector<uint32_t> databases, Done done) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back({std::move(databases), std::move(done)});
  }
  wake_.notify_one();
}

void TableLoader::run() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    // TableStore::read touches only the policy: safe here while the SIP thread looks
    // rows up in the installed tables.
    auto reads = std::make_shared<std::vector<DatabaseRead>>();
    for (uint32_t database : job.databases) reads->push_back(store_.read(database));
    post_([&store = store_, reads, done = std::move(job.done)]() mutable {
      std::vector<std::string> errors;
      for (auto& read : *reads) store.install(std::move(read), errors);
      if (done) done(std::move(errors));
    });
  }
}

}  // namespace sbc::data
