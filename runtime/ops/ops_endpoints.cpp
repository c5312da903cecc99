// See ops_endpoints.h.
#include "ops/ops_endpoints.h"

#include <cstdio>

#include "ops/json.h"

namespace sbc::ops {
namespace {

// A label value in the Prometheus text format: backslash, quote and newline escaped.
std::string label(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// One metric family: HELP and TYPE, then its samples.
class Family {
 public:
  Family(std::string& out, std::string_view name, std::string_view type, std::string_view help)
      : out_(out), name_(name) {
    out_ += "# HELP " + name_ + " " + std::string(help) + "\n# TYPE " + name_ + " " + std::string(type) + "\n";
  }
  void sample(uint64_t value, std::string_view labels = {}) {
    out_ += name_;
    if (!labels.empty()) out_ += "{" + std::string(labels) + "}";
    out_ += " " + std::to_string(value) + "\n";
  }

 private:
  std::string& out_;
  std::string name_;
};

void counter(std::string& out, std::string_view name, std::string_view help, uint64_t value) {
  Family(out, name, "counter", help).sample(value);
}

void gauge(std::string& out, std::string_view name, std::string_view help, uint64_t value) {
  Family(out, name, "gauge", help).sample(value);
}

}  // namespace

OpsEndpoints::OpsEndpoints(const sbc_policy& policy, proxy::Proxy& proxy,
                           std::vector<dispatch::DispatcherSet>& dispatchers, data::TableStore& tables,
                           data::TableLoader& loader, dispatch::Prober& prober, const media::MediaEngine* media)
    : policy_(policy),
      proxy_(proxy),
      dispatchers_(dispatchers),
      tables_(tables),
      loader_(loader),
      prober_(prober),
      media_(media),
      started_(std::chrono::system_clock::now()) {}

bool OpsEndpoints::enabled(std::string_view endpoint) const {
  for (uint32_t i = 0; i < policy_.http.endpoint_count; ++i) {
    if (endpoint == policy_.http.endpoints[i]) return true;
  }
  return false;
}

void OpsEndpoints::handle(const HttpRequest& request, const HttpServer::Reply& reply) {
  std::string_view path = request.path;
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  std::string_view name = path.substr(1);
  if (!enabled(name)) return reply({404, "text/plain; charset=utf-8", "no such endpoint\n"});
  bool post = name == "reload";
  if (request.method != (post ? "POST" : "GET")) {
    return reply({405, "text/plain; charset=utf-8", std::string(post ? "POST" : "GET") + " only\n"});
  }
  if (name == "health") return reply(health());
  if (name == "metrics") return reply({200, "text/plain; version=0.0.4; charset=utf-8", metrics()});
  if (name == "dispatcher") return reply({200, "application/json", dispatcher_json()});
  if (name == "calls") return reply({200, "application/json", calls_json()});
  reload(reply);
}

// Ready when every dispatcher set has an active destination and every table loaded.
// A database that is down after a good read only degrades the SBC (200, the problem
// listed): it routes from the rows last read, and a load balancer that took every SBC
// out of service for one database outage would drop the calls those rows still route.
HttpResponse OpsEndpoints::health() const {
  std::vector<std::string> problems;
  bool ready = true;
  for (const auto& set : dispatchers_) {
    bool any = false;
    for (const auto& d : set.destinations()) any = any || d.active;
    if (!any) problems.push_back("dispatcher set " + set.name() + " has no active destination");
  }
  if (proxy_.refusing_new_calls()) problems.push_back("stopping: new calls are refused, calls still up may end");
  ready = problems.empty();
  for (uint32_t d : tables_.databases_in_use()) {
    const data::DatabaseState& state = tables_.database_state(d);
    if (state.up) continue;
    problems.push_back(state.last_error + (state.ever_loaded ? " (routing from the rows last read)" : ""));
    ready = ready && state.ever_loaded;
  }
  std::string status = !ready ? "not ready" : problems.empty() ? "ready" : "degraded";
  std::string body = "{\"status\":" + json_string(status) + ",\"problems\":[";
  for (size_t i = 0; i < problems.size(); ++i) body += (i ? "," : "") + json_string(problems[i]);
  body += "]}\n";
  return {ready ? 200 : 503, "application/json", body};
}

std::string OpsEndpoints::metrics() const {
  const proxy::ProxyStats& s = proxy_.stats();
  std::string out;
  Family(out, "sbc_info", "gauge", "The running policy.")
      .sample(1, "identity=\"" + label(policy_.identity) + "\",policy=\"" + label(policy_.source_name) +
                     "\",sha256=\"" + label(policy_.source_hash) + "\"");
  gauge(out, "sbc_start_time_seconds", "When the SBC started, seconds since the epoch.",
        static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(started_.time_since_epoch()).count()));
  counter(out, "sbc_sip_requests_received_total", "SIP requests received.", s.requests_received);
  counter(out, "sbc_sip_responses_received_total", "SIP responses received.", s.responses_received);
  counter(out, "sbc_sip_parse_errors_total", "Datagrams or stream messages that were not valid SIP.",
          s.parse_errors);
  counter(out, "sbc_sip_retransmissions_absorbed_total", "Retransmitted requests answered from their transaction.",
          s.retransmissions_absorbed);
  counter(out, "sbc_sip_initial_requests_total", "Requests routed by the policy (new calls and out-of-dialog).",
          s.initial_requests_routed);
  counter(out, "sbc_sip_in_dialog_requests_total", "Requests routed inside a dialog.", s.in_dialog_requests_routed);
  counter(out, "sbc_sip_transaction_timeouts_total", "Client transactions that timed out.", s.transaction_timeouts);
  Family replies(out, "sbc_sip_replies_total", "counter", "Final and provisional responses sent upstream, by class.");
  for (int c = 1; c <= 6; ++c) replies.sample(s.replies_by_class[c], "class=\"" + std::to_string(c) + "xx\"");
  gauge(out, "sbc_sip_transactions", "Transactions held now.", proxy_.transaction_count());
  gauge(out, "sbc_calls_active", "Dialogs established and not ended.", proxy_.dialog_count());
  counter(out, "sbc_calls_total", "Dialogs established (rate() of it is calls per second).", s.dialogs_established);
  Family ended(out, "sbc_calls_ended_total", "counter", "Dialogs ended, by how.");
  ended.sample(s.dialogs_ended, "reason=\"bye\"");
  ended.sample(s.dialogs_expired, "reason=\"expired\"");
  ended.sample(s.dialogs_ended_by_sbc, "reason=\"media_timeout\"");
  Family up(out, "sbc_dispatcher_destination_up", "gauge", "1 when a dispatcher destination is active.");
  for (const auto& set : dispatchers_) {
    for (const auto& d : set.destinations()) {
      up.sample(d.active ? 1 : 0, "set=\"" + label(set.name()) + "\",uri=\"" + label(d.uri) + "\",duid=\"" +
                                      label(d.duid) + "\"");
    }
  }
  Family rows(out, "sbc_table_rows", "gauge", "Rows of each routing table in memory.");
  for (size_t i = 0; i < tables_.size(); ++i) {
    rows.sample(tables_.table(static_cast<uint32_t>(i)).size(),
                "table=\"" + label(tables_.table(static_cast<uint32_t>(i)).config().name) + "\"");
  }
  // One family at a time: the text format wants each family's samples together.
  auto per_database = [&](std::string_view name, std::string_view type, std::string_view help, auto value) {
    Family family(out, name, type, help);
    for (uint32_t i = 0; i < policy_.database_count; ++i) {
      family.sample(value(tables_.database_state(i)), "database=\"" + label(policy_.databases[i].name) + "\"");
    }
  };
  per_database("sbc_database_up", "gauge", "1 when the database's last read succeeded.",
               [](const data::DatabaseState& d) -> uint64_t { return d.up ? 1 : 0; });
  per_database("sbc_database_last_read_timestamp_seconds", "gauge",
               "When the database was last read successfully, seconds since the epoch (0: never).",
               [](const data::DatabaseState& d) -> uint64_t {
                 if (!d.ever_loaded) return 0;
                 return static_cast<uint64_t>(
                     std::chrono::duration_cast<std::chrono::seconds>(d.last_success.time_since_epoch()).count());
               });
  per_database("sbc_database_read_failures_total", "counter", "Reads of the database that failed.",
               [](const data::DatabaseState& d) -> uint64_t { return d.failures; });
  if (media_) {
    media::MediaTotals m = media_->totals();
    gauge(out, "sbc_media_sessions", "Calls with relayed media now.", media_->session_count());
    counter(out, "sbc_media_sessions_total", "Calls whose media was relayed.", m.sessions_started);
    gauge(out, "sbc_media_streams", "Relayed streams now (one per m= line).", m.streams_open);
    counter(out, "sbc_media_packets_relayed_total", "RTP and RTCP packets relayed.", m.packets_relayed);
    counter(out, "sbc_media_bytes_relayed_total", "Bytes of RTP and RTCP relayed.", m.bytes_relayed);
    counter(out, "sbc_media_packets_dropped_total",
            "Packets not relayed: from an unlatched source, not RTP, or nowhere to send yet.", m.packets_dropped);
    counter(out, "sbc_media_srtp_errors_total", "SRTP/SRTCP packets that failed authentication or replay checks.",
            m.srtp_errors);
    counter(out, "sbc_media_timeouts_total", "Calls ended because their media stopped.", m.sessions_timed_out);
    counter(out, "sbc_media_ports_exhausted_total", "Offers refused for want of RTP ports.", m.ports_exhausted);
  }
  return out;
}

std::string OpsEndpoints::dispatcher_json() const {
  std::string out = "{\"sets\":[";
  for (size_t i = 0; i < dispatchers_.size(); ++i) {
    const auto& set = dispatchers_[i];
    out += (i ? "," : "") + std::string("{\"name\":") + json_string(set.name()) + ",\"destinations\":[";
    const auto& destinations = set.destinations();
    for (size_t j = 0; j < destinations.size(); ++j) {
      const auto& d = destinations[j];
      out += (j ? "," : "") + std::string("{\"uri\":") + json_string(d.uri) + ",\"duid\":" + json_string(d.duid) +
             ",\"active\":" + (d.active ? "true" : "false") +
             ",\"consecutive_failures\":" + std::to_string(d.consecutive_failures) + "}";
    }
    out += "]}";
  }
  return out + "]}\n";
}

std::string OpsEndpoints::calls_json() const {
  auto now = std::chrono::steady_clock::now();
  std::string out = "{\"calls\":[";
  bool first = true;
  proxy_.dialogs().for_each([&](const proxy::Dialog& d) {
    auto age = std::chrono::duration_cast<std::chrono::seconds>(now - d.established).count();
    out += (first ? "" : ",") + std::string("{\"call_id\":") + json_string(d.call_id) +
           ",\"seconds\":" + std::to_string(age) + ",\"caller\":" + json_string(d.caller.party) +
           ",\"callee\":" + json_string(d.callee.party) +
           ",\"media\":" + (media_ && media_->has(d.call_id) ? "true" : "false") + "}";
    first = false;
  });
  return out + "]}\n";
}

// Dispatcher destinations are probed at once (their answers change /dispatcher as they
// come). The reply waits until the loader's thread has read every database and the SIP
// thread has swapped the tables in: 200 with the row counts, or 500 with what failed
// (those tables keep their rows).
void OpsEndpoints::reload(const HttpServer::Reply& reply) {
  size_t probes = prober_.probe_all_now();
  loader_.reload(tables_.databases_in_use(), [this, reply, probes](std::vector<std::string> errors) {
    std::string out = "{\"probes_sent\":" + std::to_string(probes) + ",\"tables\":[";
    for (size_t i = 0; i < tables_.size(); ++i) {
      const auto& t = tables_.table(static_cast<uint32_t>(i));
      out += (i ? "," : "") + std::string("{\"name\":") + json_string(t.config().name) +
             ",\"rows\":" + std::to_string(t.size()) + "}";
    }
    out += "],\"errors\":[";
    for (size_t i = 0; i < errors.size(); ++i) out += (i ? "," : "") + json_string(errors[i]);
    out += "]}\n";
    reply({errors.empty() ? 200 : 500, "application/json", out});
  });
}

}  // namespace sbc::ops
