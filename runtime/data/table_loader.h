// Reads the policy's databases on a thread of its own, so the SIP thread never waits on
// the network: each read (TableStore::read) is handed back to the SIP thread, which
// swaps the fresh tables in whole (TableStore::install). Requests made while a read
// runs wait their turn, in order.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "data/table_store.h"

namespace sbc::data {

class TableLoader {
 public:
  using Post = std::function<void(std::function<void()>)>;  // runs its argument on the SIP thread
  using Done = std::function<void(std::vector<std::string> errors)>;

  TableLoader(TableStore& store, Post post_to_sip);
  ~TableLoader();  // waits for the read in progress; what it got is not installed
  TableLoader(const TableLoader&) = delete;
  TableLoader& operator=(const TableLoader&) = delete;

  // Reads `databases`; on the SIP thread, installs what was read, then calls `done`
  // (may be empty) with the problems.
  void reload(std::vector<uint32_t> databases, Done done);

 private:
  struct Job {
    std::vector<uint32_t> databases;
    Done done;
  };
  void run();

  TableStore& store_;
  Post post_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sbc::data
