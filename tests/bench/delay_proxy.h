// SPDX-License-Identifier: Apache-2.0
#pragma once
// A team server far away on the network, for the benchmarks (issue 15): a proxy on a Unix socket
// in front of a PostgreSQL socket that holds every chunk a fixed time in each direction. Header-
// only: each benchmark is one translation unit.

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <vector>

namespace camlabel::bench {

/// A Unix-socket proxy in front of the server's socket that holds every chunk `delayMs` in each
/// direction: a server that far away on the network. One thread per direction per connection.
class DelayProxy {
 public:
  DelayProxy(const std::filesystem::path& target, const std::filesystem::path& listenOn,
             int delayMs)
      : target_(target), delay_(delayMs) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, listenOn.c_str(), sizeof(addr.sun_path) - 1);
    ::unlink(listenOn.c_str());
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::listen(fd_, 16) != 0)
      throw std::runtime_error("the delay proxy cannot listen on " + listenOn.string());
    accepter_ = std::thread([this] { accept(); });
  }
  ~DelayProxy() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    accepter_.join();
    for (std::thread& t : pipes_)
      t.join();
  }

 private:
  void accept() {
    for (;;) {
      const int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      const int server = ::socket(AF_UNIX, SOCK_STREAM, 0);
      sockaddr_un addr{};
      addr.sun_family = AF_UNIX;
      std::strncpy(addr.sun_path, target_.c_str(), sizeof(addr.sun_path) - 1);
      if (::connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
        ::close(client);
        ::close(server);
        continue;
      }
      pipes_.emplace_back([this, client, server] { forward(client, server); });
      pipes_.emplace_back([this, client, server] { forward(server, client); });
    }
  }
  /// Copies from -> to, each chunk sent delay_ ms after it arrived.
  void forward(int from, int to) {
    std::vector<char> buffer(1 << 16);
    for (;;) {
      const ssize_t n = ::read(from, buffer.data(), buffer.size());
      if (n <= 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_));
      for (ssize_t sent = 0; sent < n;) {
        const ssize_t w = ::write(to, buffer.data() + sent, static_cast<std::size_t>(n - sent));
        if (w <= 0) return;
        sent += w;
      }
    }
    ::shutdown(to, SHUT_WR);
  }

  std::filesystem::path target_;
  int delay_;
  int fd_ = -1;
  std::thread accepter_;
  std::vector<std::thread> pipes_;
};

}  // namespace camlabel::bench
