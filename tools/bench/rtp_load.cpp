// rtp_load: the RTP traffic of N G.711 calls through a media relay, for the benchmarks in
// tools/bench (never used by tests). Reads one line per call, "A_IP A_PORT B_IP B_PORT":
// the relay's address for the caller (A) and for the callee (B). Every 20 ms it sends one
// 172-byte RTP packet per call from the caller side to A and one from the callee side to
// B, and counts what arrives on each side. Each side is one socket: the relay latches
// every call's stream to it, and the calls are told apart by SSRC, so the generator
// costs two sendmmsg and a few recvmmsg per tick whatever N is.
//
//   rtp_load --calls FILE --seconds S [--caller-ip 127.0.0.40] [--callee-ip 127.0.0.30]
//            [--srtp-caller-key BASE64]   (the caller side sends SRTP, AES_CM_128_HMAC_SHA1_80)
//
// Prints: sent and received per direction, loss, and calls that received nothing.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "media/sdes.h"
#include "media/sdp.h"
#include "media/srtp_session.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kPayload = 160;
constexpr size_t kPacket = 12 + kPayload;
constexpr uint32_t kCalleeBit = 0x80000000u;

struct Call {
  sockaddr_in a{};
  sockaddr_in b{};
};

struct Options {
  std::string calls_file;
  int seconds = 10;
  std::string caller_ip = "127.0.0.40";
  std::string callee_ip = "127.0.0.30";
  std::string srtp_key;
};

sockaddr_in address(const std::string& ip, uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
  return a;
}

int bound_socket(const std::string& ip) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  sockaddr_in a = address(ip, 0);
  int size = 16 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    std::perror("bind");
    std::exit(2);
  }
  return fd;
}

void write_rtp(uint8_t* p, uint32_t ssrc, uint16_t seq) {
  p[0] = 0x80;
  p[1] = 0;  // PCMU
  p[2] = static_cast<uint8_t>(seq >> 8);
  p[3] = static_cast<uint8_t>(seq);
  uint32_t ts = seq * 160u;
  p[4] = static_cast<uint8_t>(ts >> 24);
  p[5] = static_cast<uint8_t>(ts >> 16);
  p[6] = static_cast<uint8_t>(ts >> 8);
  p[7] = static_cast<uint8_t>(ts);
  p[8] = static_cast<uint8_t>(ssrc >> 24);
  p[9] = static_cast<uint8_t>(ssrc >> 16);
  p[10] = static_cast<uint8_t>(ssrc >> 8);
  p[11] = static_cast<uint8_t>(ssrc);
  std::memset(p + 12, 0xff, kPayload);
}

uint32_t ssrc_of(const uint8_t* p) {
  return (uint32_t(p[8]) << 24) | (uint32_t(p[9]) << 16) | (uint32_t(p[10]) << 8) | p[11];
}

// Sends one packet per call from `fd` to each call's relay address on that side.
void send_tick(int fd, const std::vector<Call>& calls, bool callee_side, uint16_t seq,
               sbc::media::SrtpSession* srtp, std::vector<std::vector<uint8_t>>& buffers, uint64_t& sent) {
  std::vector<mmsghdr> messages(calls.size());
  std::vector<iovec> iov(calls.size());
  for (size_t i = 0; i < calls.size(); ++i) {
    uint8_t* p = buffers[i].data();
    write_rtp(p, static_cast<uint32_t>(i + 1) | (callee_side ? kCalleeBit : 0), seq);
    size_t length = kPacket;
    if (srtp && !srtp->rtp(p, length)) std::exit(3);
    iov[i] = {p, length};
    messages[i] = {};
    messages[i].msg_hdr.msg_iov = &iov[i];
    messages[i].msg_hdr.msg_iovlen = 1;
    const sockaddr_in& to = callee_side ? calls[i].b : calls[i].a;
    messages[i].msg_hdr.msg_name = const_cast<sockaddr_in*>(&to);
    messages[i].msg_hdr.msg_namelen = sizeof to;
  }
  size_t done = 0;
  while (done < messages.size()) {
    int n = sendmmsg(fd, messages.data() + done, static_cast<unsigned>(messages.size() - done), 0);
    if (n <= 0) {
      poll(nullptr, 0, 1);
      continue;
    }
    done += static_cast<size_t>(n);
  }
  sent += calls.size();
}

struct Side {
  int fd = -1;
  uint64_t sent = 0;
  uint64_t received = 0;
  std::vector<uint64_t> per_call;
};

void drain(Side& side, size_t calls, bool counting) {
  static uint8_t buffers[64][2048];
  mmsghdr messages[64];
  iovec iov[64];
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      iov[i] = {buffers[i], sizeof buffers[i]};
      messages[i] = {};
      messages[i].msg_hdr.msg_iov = &iov[i];
      messages[i].msg_hdr.msg_iovlen = 1;
    }
    int n = recvmmsg(side.fd, messages, 64, MSG_DONTWAIT, nullptr);
    if (n <= 0) return;
    if (!counting) continue;
    for (int i = 0; i < n; ++i) {
      if (messages[i].msg_len < 12) continue;
      uint32_t index = (ssrc_of(buffers[i]) & ~kCalleeBit) - 1;
      if (index < calls) ++side.per_call[index];
      ++side.received;
    }
  }
}

bool parse_options(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string key = argv[i];
    std::string value = argv[i + 1];
    if (key == "--calls") o.calls_file = value;
    else if (key == "--seconds") o.seconds = std::stoi(value);
    else if (key == "--caller-ip") o.caller_ip = value;
    else if (key == "--callee-ip") o.callee_ip = value;
    else if (key == "--srtp-caller-key") o.srtp_key = value;
    else return false;
  }
  return !o.calls_file.empty() && o.seconds > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse_options(argc, argv, options)) {
    std::fprintf(stderr, "usage: rtp_load --calls FILE --seconds S [--caller-ip IP] [--callee-ip IP] "
                         "[--srtp-caller-key BASE64]\n");
    return 2;
  }
  std::vector<Call> calls;
  std::ifstream in(options.calls_file);
  std::string a_ip, b_ip;
  unsigned a_port, b_port;
  while (in >> a_ip >> a_port >> b_ip >> b_port) {
    calls.push_back({address(a_ip, static_cast<uint16_t>(a_port)), address(b_ip, static_cast<uint16_t>(b_port))});
  }
  if (calls.empty()) {
    std::fprintf(stderr, "rtp_load: no calls in %s\n", options.calls_file.c_str());
    return 2;
  }

  std::unique_ptr<sbc::media::SrtpSession> srtp;
  if (!options.srtp_key.empty()) {
    std::string params = "inline:" + options.srtp_key;
    sbc::media::sdp::Crypto crypto{"1", "AES_CM_128_HMAC_SHA1_80", params};
    auto key = sbc::media::parse_key(crypto);
    std::string error;
    if (key) srtp = sbc::media::SrtpSession::create(*key, sbc::media::SrtpSession::Direction::Protect, error);
    if (!srtp) {
      std::fprintf(stderr, "rtp_load: bad SRTP key %s\n", error.c_str());
      return 2;
    }
  }

  Side caller, callee;
  caller.fd = bound_socket(options.caller_ip);
  callee.fd = bound_socket(options.callee_ip);
  caller.per_call.assign(calls.size(), 0);
  callee.per_call.assign(calls.size(), 0);
  std::vector<std::vector<uint8_t>> buffers(calls.size(), std::vector<uint8_t>(kPacket + 64));

  // Latching: a few packets each way, then the counters start from zero.
  uint16_t seq = 1;
  for (int i = 0; i < 5; ++i, ++seq) {
    uint64_t ignored = 0;
    send_tick(caller.fd, calls, false, seq, srtp.get(), buffers, ignored);
    send_tick(callee.fd, calls, true, seq, nullptr, buffers, ignored);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  drain(caller, calls.size(), false);
  drain(callee, calls.size(), false);

  auto start = Clock::now();
  auto next = start;
  auto end = start + std::chrono::seconds(options.seconds);
  while (next < end) {
    send_tick(caller.fd, calls, false, seq, srtp.get(), buffers, caller.sent);
    send_tick(callee.fd, calls, true, seq, nullptr, buffers, callee.sent);
    ++seq;
    next += std::chrono::milliseconds(20);
    while (Clock::now() < next) {
      pollfd fds[2] = {{caller.fd, POLLIN, 0}, {callee.fd, POLLIN, 0}};
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now()).count();
      poll(fds, 2, static_cast<int>(left > 0 ? left : 0));
      drain(caller, calls.size(), true);
      drain(callee, calls.size(), true);
    }
  }
  auto settle = Clock::now() + std::chrono::milliseconds(500);
  while (Clock::now() < settle) {
    pollfd fds[2] = {{caller.fd, POLLIN, 0}, {callee.fd, POLLIN, 0}};
    poll(fds, 2, 50);
    drain(caller, calls.size(), true);
    drain(callee, calls.size(), true);
  }
  size_t silent = 0;
  for (size_t i = 0; i < calls.size(); ++i) silent += (caller.per_call[i] == 0 || callee.per_call[i] == 0);
  uint64_t sent = caller.sent + callee.sent;
  uint64_t received = caller.received + callee.received;
  std::printf("calls=%zu seconds=%d caller_to_callee_sent=%llu caller_to_callee_received=%llu "
              "callee_to_caller_sent=%llu callee_to_caller_received=%llu lost=%lld loss_pct=%.3f silent_calls=%zu\n",
              calls.size(), options.seconds, static_cast<unsigned long long>(caller.sent),
              static_cast<unsigned long long>(callee.received), static_cast<unsigned long long>(callee.sent),
              static_cast<unsigned long long>(caller.received), static_cast<long long>(sent - received),
              sent ? 100.0 * static_cast<double>(sent - received) / static_cast<double>(sent) : 0.0, silent);
  return 0;
}
