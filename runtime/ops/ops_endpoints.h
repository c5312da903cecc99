// What the HTTP endpoint answers, path by path, from the running SBC's state: /health
// (ready or not, and why), /metrics (Prometheus text format 0.0.4), /dispatcher and
// /calls (JSON), POST /reload (tables re-read, answered once they are; dispatcher
// destinations probed at once). Only the paths
// the policy lists are served; everything runs on the SIP thread, so each answer is one
// consistent snapshot.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "data/table_loader.h"
#include "data/table_store.h"
#include "dispatch/dispatcher.h"
#include "dispatch/prober.h"
#include "media/media_engine.h"
#include "ops/http_server.h"
#include "proxy/proxy.h"

namespace sbc::ops {

class OpsEndpoints {
 public:
  OpsEndpoints(const sbc_policy& policy, proxy::Proxy& proxy, std::vector<dispatch::DispatcherSet>& dispatchers,
               data::TableStore& tables, data::TableLoader& loader, dispatch::Prober& prober,
               const media::MediaEngine* media);

  void handle(const HttpRequest& request, const HttpServer::Reply& reply);

  HttpResponse health() const;
  std::string metrics() const;
  std::string dispatcher_json() const;
  std::string calls_json() const;
  void reload(const HttpServer::Reply& reply);

 private:
  bool enabled(std::string_view endpoint) const;

  const sbc_policy& policy_;
  proxy::Proxy& proxy_;
  std::vector<dispatch::DispatcherSet>& dispatchers_;
  data::TableStore& tables_;
  data::TableLoader& loader_;
  dispatch::Prober& prober_;
  const media::MediaEngine* media_;
  std::chrono::system_clock::time_point started_;
};

}  // namespace sbc::ops
